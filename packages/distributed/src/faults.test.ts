import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { DistributedDriver, type DistributedEpochLogs } from './DistributedDriver.js';
import { DistributedWorker } from './DistributedWorker.js';
import { shardDataFile } from './shardDataFile.js';
import type { ShardDescriptor } from './ShardDescriptor.js';
import { localRedisUnavailable, startLocalRedis, type LocalRedis } from './testing/redisServer.js';
import { SOM, type InitMode } from '@somkit/core';
import { blobs, bundleWorker, fitFromScratch, initialSom, INIT_OPTIONS, maxDiff, npyFile, reference, spawnWorker, type WorkerProcess } from './__fixtures__/harness.js';

const N = 2_000;
const D = 8;
const TOL = 1e-4;
const why = localRedisUnavailable();

describe.skipIf(why !== undefined)(why !== undefined ? `distributed fault injection — skipped: ${why}` : 'distributed training survives crashed workers and a Redis restart', () => {
  let redis: LocalRedis;
  let dir = '';
  let shards: ShardDescriptor[] = [];
  let data: Float32Array;
  let init: Float32Array;
  let ref: { weights: Float32Array; qe: number[] };
  let bundle = '';
  const procs: WorkerProcess[] = [];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    [redis, bundle, dir] = await Promise.all([startLocalRedis(), bundleWorker(), mkdtemp(join(tmpdir(), 'somkit-dist-'))]);
    data = blobs(N, D, 23);
    shards = (await shardDataFile(await npyFile(dir, 'x', data, N, D), 8)).shards;
    const som = await initialSom(data, N, D);
    init = som.getWeights();
    som.dispose();
    ref = await reference(data, N, D, init);
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await redis?.stop();
    if (bundle) await rm(bundle, { force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function freshSom(): Promise<Awaited<ReturnType<typeof initialSom>>> {
    const som = await initialSom(data, N, D);
    await som.setWeights({ data: init, shape: [som.units, D] });
    return som;
  }

  it('a worker process SIGKILLed mid-epoch: its job is retried on another worker, same codebook, nothing double-counted', async () => {
    const fast = { SOMKIT_REDIS_URL: redis.url, SOMKIT_QUEUE: 'qc', SOMKIT_LOCK_MS: '1000', SOMKIT_STALLED_MS: '500', SOMKIT_DATA_ROOT: dir };
    // The doomed worker runs epoch 0 alone (8 jobs), then dies holding its 11th job (epoch 1).
    const doomed = await spawnWorker(bundle, { ...fast, SOMKIT_WORKER_NAME: 'doomed', SOMKIT_CRASH_AT_JOB: '11' });
    procs.push(doomed);
    const driver = new DistributedDriver({ connection: redis.url, queueName: 'qc', pollMs: 50 });
    const som = await freshSom();
    const logs: DistributedEpochLogs[] = [];
    try {
      const training = driver.train({ som, shards, onEpochEnd: (l) => void logs.push(l), signal: AbortSignal.timeout(60_000) });
      const died = await doomed.exited;
      expect(died.signal).toBe('SIGKILL');
      const crashedJob = doomed.lines.filter((l) => l.startsWith('start ')).at(-1)!.slice(6);
      expect(doomed.lines).not.toContain(`done ${crashedJob}`);
      const survivor = await spawnWorker(bundle, { ...fast, SOMKIT_WORKER_NAME: 'survivor' });
      procs.push(survivor);
      await training;
      expect(survivor.lines).toContain(`done ${crashedJob}`);
      expect(maxDiff(som.getWeights(), ref.weights)).toBeLessThan(TOL);
      expect(logs.map((l) => l.n)).toEqual([N, N, N]);
      expect(logs[0]!.workers).toEqual(['doomed']);
      expect(logs[1]!.workers).toContain('survivor');
      expect(logs[1]!.retried).toBeGreaterThanOrEqual(1);
      for (const [e, l] of logs.entries()) expect(l.qe).toBeCloseTo(ref.qe[e]!, 4);
    } finally {
      som.dispose();
      await driver.close();
    }
  });

  // Job 4 is in the init pass (8 'moments' jobs); job 12 is in epoch 0 (after ≤ 8 'rows' jobs).
  for (const [mode, crashAt, phase] of [['pca', 4, 'the init pass'], ['random', 12, 'epoch 0']] as const) {
    it(`initialize: ${mode}, a worker SIGKILLed in ${phase}: same codebook as fit() from a new SOM`, async () => {
      const want = await fitFromScratch(data, N, D, { ...INIT_OPTIONS, init: mode as InitMode });
      const queue = `qi-${mode}`;
      const fast = { SOMKIT_REDIS_URL: redis.url, SOMKIT_QUEUE: queue, SOMKIT_LOCK_MS: '1000', SOMKIT_STALLED_MS: '500', SOMKIT_DATA_ROOT: dir };
      const doomed = await spawnWorker(bundle, { ...fast, SOMKIT_WORKER_NAME: 'doomed', SOMKIT_CRASH_AT_JOB: String(crashAt) });
      procs.push(doomed);
      const driver = new DistributedDriver({ connection: redis.url, queueName: queue, pollMs: 50 });
      const som = new SOM({ ...INIT_OPTIONS, init: mode, dims: D });
      const logs: DistributedEpochLogs[] = [];
      let initN = 0;
      driver.on('initialized', (i) => void (initN = i.n));
      try {
        const training = driver.train({ som, shards, initialize: true, onEpochEnd: (l) => void logs.push(l), signal: AbortSignal.timeout(60_000) });
        expect((await doomed.exited).signal).toBe('SIGKILL');
        const crashedJob = doomed.lines.filter((l) => l.startsWith('start ')).at(-1)!.slice(6);
        expect(crashedJob).toMatch(mode === 'pca' ? /\.moments\.s\d$/ : /\.e0\.s\d$/);
        const survivor = await spawnWorker(bundle, { ...fast, SOMKIT_WORKER_NAME: 'survivor' });
        procs.push(survivor);
        await training;
        expect(survivor.lines).toContain(`done ${crashedJob}`);
        expect(initN).toBe(N);
        expect(maxDiff(som.getWeights(), want.weights)).toBeLessThan(TOL);
        expect(logs.map((l) => l.n)).toEqual([N, N, N]);
        for (const [e, l] of logs.entries()) expect(l.qe).toBeCloseTo(want.qe[e]!, 4);
      } finally {
        som.dispose();
        await driver.close();
      }
    });
  }

  it('Redis killed and restarted empty between epochs: the driver republishes the run and finishes with the same codebook', async () => {
    const worker = new DistributedWorker({ connection: redis.url, queueName: 'qk', chunkRows: 100, dataRoot: dir });
    await worker.waitUntilReady();
    const driver = new DistributedDriver({ connection: redis.url, queueName: 'qk', pollMs: 50 });
    const republished: number[] = [];
    driver.on('republished', (r) => republished.push(r.epoch));
    const som = await freshSom();
    const logs: DistributedEpochLogs[] = [];
    try {
      await driver.train({
        som,
        shards,
        signal: AbortSignal.timeout(60_000),
        onEpochEnd: async (l) => {
          logs.push(l);
          if (l.epoch === 0) await redis.restart(); // SIGKILL, persistence off: every key is gone
        },
      });
      expect(republished).toEqual([1]);
      expect(maxDiff(som.getWeights(), ref.weights)).toBeLessThan(TOL);
      expect(logs.map((l) => l.n)).toEqual([N, N, N]);
    } finally {
      som.dispose();
      await driver.close();
      await worker.close();
    }
  });
});
