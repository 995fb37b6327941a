import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { isSomError } from '@somkit/plugin-api';
import { SOM, type InitMode } from '@somkit/core';
import { DistributedDriver, type DistributedEpochLogs } from './DistributedDriver.js';
import { DistributedWorker } from './DistributedWorker.js';
import { shardDataFile } from './shardDataFile.js';
import type { ShardDescriptor } from './ShardDescriptor.js';
import { localRedisUnavailable, startLocalRedis, type LocalRedis } from './testing/redisServer.js';
import { blobs, bundleWorker, fitFromScratch, initialSom, INIT_OPTIONS, maxDiff, npyFile, reference, spawnWorker, type FromScratch, type WorkerProcess } from './__fixtures__/harness.js';

const N = 2_000;
const D = 8;
const TOL = 1e-4;
const why = localRedisUnavailable();

describe.skipIf(why !== undefined)(why !== undefined ? `distributed equivalence — skipped: ${why}` : 'distributed batch-map equals single-process batch-map', () => {
  let redis: LocalRedis;
  let dir = '';
  let path = '';
  let shards: ShardDescriptor[] = [];
  let data: Float32Array;
  let init: Float32Array;
  let ref: { weights: Float32Array; qe: number[] };
  let bundle = '';
  const procs: WorkerProcess[] = [];
  const finals: Record<string, Float32Array> = {};
  /** Single-process fit() from a new SOM (init inside fit), per init mode. */
  const scratch: Partial<Record<InitMode, FromScratch>> = {};

  beforeAll(async () => {
    await tf.setBackend('cpu');
    [redis, bundle, dir] = await Promise.all([startLocalRedis(), bundleWorker(), mkdtemp(join(tmpdir(), 'somkit-dist-'))]);
    data = blobs(N, D, 11);
    path = await npyFile(dir, 'x', data, N, D);
    shards = (await shardDataFile(path, 8)).shards;
    const som = await initialSom(data, N, D);
    init = som.getWeights();
    som.dispose();
    ref = await reference(data, N, D, init);
    for (const mode of ['random', 'pca'] as const) scratch[mode] = await fitFromScratch(data, N, D, { ...INIT_OPTIONS, init: mode });
    // Four processes, started once: p0 and p1 also serve queue q2, all four serve q4.
    const env = (i: number): Record<string, string> => ({ SOMKIT_REDIS_URL: redis.url, SOMKIT_QUEUE: i < 2 ? 'q2,q4' : 'q4', SOMKIT_WORKER_NAME: `p${i}`, SOMKIT_DATA_ROOT: dir });
    procs.push(...(await Promise.all([0, 1, 2, 3].map((i) => spawnWorker(bundle, env(i))))));
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await redis?.stop();
    if (bundle) await rm(bundle, { force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Trains on the workers listening on `queueName`; returns the codebook and the epoch logs. */
  async function trainOn(queueName: string, shardList: ShardDescriptor[] = shards): Promise<{ weights: Float32Array; logs: DistributedEpochLogs[] }> {
    const driver = new DistributedDriver({ connection: redis.url, queueName, pollMs: 50 });
    const som = await initialSom(data, N, D);
    await som.setWeights({ data: init, shape: [som.units, D] });
    const logs: DistributedEpochLogs[] = [];
    try {
      const r = await driver.train({ som, shards: shardList, onEpochEnd: (l) => void logs.push(l), signal: AbortSignal.timeout(40_000) });
      expect(r.history.qe).toHaveLength(3);
      return { weights: som.getWeights(), logs };
    } finally {
      som.dispose();
      await driver.close();
    }
  }

  /**
   * A new SOM trained with `initialize: true` on the workers of `queueName`: its codebook before
   * epoch 0, after the run, and a probe of its random generator afterwards.
   */
  async function trainFresh(queueName: string, mode: InitMode, shardList: ShardDescriptor[] = shards): Promise<FromScratch & { logs: DistributedEpochLogs[]; initN: number }> {
    const driver = new DistributedDriver({ connection: redis.url, queueName, pollMs: 50 });
    const som = new SOM({ ...INIT_OPTIONS, init: mode, dims: D });
    let initial: Float32Array | undefined;
    let initN = 0;
    driver.on('initialized', (i) => void (initN = i.n));
    driver.on('epochStart', (i) => void (i.epoch === 0 && (initial = som.getWeights())));
    const logs: DistributedEpochLogs[] = [];
    try {
      await driver.train({ som, shards: shardList, initialize: true, onEpochEnd: (l) => void logs.push(l), signal: AbortSignal.timeout(40_000) });
      const weights = som.getWeights();
      await som.initialize({ data, shape: [N, D] }, 'random');
      return { init: initial!, weights, qe: logs.map((l) => l.qe), probe: som.getWeights(), logs, initN };
    } finally {
      som.dispose();
      await driver.close();
    }
  }

  /** Same initial codebook as fit() (random: the same rows, bit for bit), same final codebook, same generator state. */
  function expectSameAsFit(mode: InitMode, got: Awaited<ReturnType<typeof trainFresh>>): void {
    const want = scratch[mode]!;
    expect(got.initN).toBe(N);
    if (mode === 'random') expect(got.init).toEqual(want.init);
    else expect(maxDiff(got.init, want.init)).toBeLessThan(1e-5);
    expect(maxDiff(got.weights, want.weights)).toBeLessThan(TOL);
    for (const [e, l] of got.logs.entries()) {
      expect(l.n).toBe(N);
      expect(l.qe).toBeCloseTo(want.qe[e]!, 4);
    }
    // The SOM's generator advanced as in fit(): its next draws are the same.
    expect(got.probe).toEqual(want.probe);
  }

  function expectSameAsReference(weights: Float32Array, logs: DistributedEpochLogs[]): void {
    expect(maxDiff(weights, ref.weights)).toBeLessThan(TOL);
    expect(logs.map((l) => l.epoch)).toEqual([0, 1, 2]);
    for (const [e, l] of logs.entries()) {
      expect(l.n).toBe(N); // every row counted once
      expect(l.shards).toBe(8);
      expect(l.qe).toBeCloseTo(ref.qe[e]!, 4);
    }
  }

  it('1 in-process worker, 8 shards: same codebook and QE as fit()', async () => {
    const worker = new DistributedWorker({ connection: redis.url, queueName: 'q1', chunkRows: 100, dataRoot: dir });
    await worker.waitUntilReady();
    try {
      const { weights, logs } = await trainOn('q1');
      expectSameAsReference(weights, logs);
      expect(new Set(logs.flatMap((l) => l.workers)).size).toBe(1);
      finals.one = weights;
    } finally {
      await worker.close();
    }
  });

  it('initialize over all shards, 1 in-process worker: random and pca give fit()\'s initial codebook, final codebook and generator state', async () => {
    const worker = new DistributedWorker({ connection: redis.url, queueName: 'qi1', chunkRows: 100, dataRoot: dir });
    const tasks: string[] = [];
    worker.on('jobDone', (j) => void tasks.push(j.task));
    await worker.waitUntilReady();
    try {
      for (const mode of ['random', 'pca'] as const) expectSameAsFit(mode, await trainFresh('qi1', mode));
      // random: one 'rows' job per shard holding a picked row (the descriptors give the row counts);
      // pca: one 'moments' job per shard. Then 3 epochs × 8 shards each.
      expect(tasks.filter((t) => t === 'moments')).toHaveLength(8);
      expect(tasks.filter((t) => t === 'count')).toHaveLength(0);
      expect(tasks.filter((t) => t === 'rows').length).toBeGreaterThan(0);
      expect(tasks.filter((t) => t === 'sums')).toHaveLength(48);
    } finally {
      await worker.close();
    }
  });

  it('the codebook of the first shard alone (the former init) is not fit()\'s: the check above can fail', async () => {
    const first = new SOM({ ...INIT_OPTIONS, init: 'pca', dims: D });
    const n0 = (shards[0] as { rowEnd: number }).rowEnd;
    await first.initialize({ data: data.subarray(0, n0 * D), shape: [n0, D] });
    expect(maxDiff(first.getWeights(), scratch.pca!.init)).toBeGreaterThan(1e-2);
    first.dispose();
  });

  for (const [queue, count] of [['q2', 2], ['q4', 4]] as const) {
    it(`initialize over all shards, ${count} worker processes, custom shard kind (rows counted by the workers): same as fit()`, async () => {
      const slow = shards.map((s) => ({ kind: 'slow', delayMs: 10, inner: s }));
      for (const mode of ['random', 'pca'] as const) {
        const got = await trainFresh(queue, mode, slow);
        expectSameAsFit(mode, got);
        expect(new Set(got.logs.flatMap((l) => l.workers)).size).toBeGreaterThanOrEqual(2);
      }
    });
  }

  it('2 worker processes, 8 shards: same codebook; both processes did work', async () => {
    const slow = shards.map((s) => ({ kind: 'slow', delayMs: 30, inner: s }));
    const { weights, logs } = await trainOn('q2', slow);
    expectSameAsReference(weights, logs);
    expect(new Set(logs.flatMap((l) => l.workers))).toEqual(new Set(['p0', 'p1']));
    finals.two = weights;
  });

  it('4 worker processes, 8 shards: same codebook; merge order does not matter', async () => {
    const slow = shards.map((s) => ({ kind: 'slow', delayMs: 30, inner: s }));
    const { weights, logs } = await trainOn('q4', slow);
    expectSameAsReference(weights, logs);
    expect(new Set(logs.flatMap((l) => l.workers)).size).toBeGreaterThanOrEqual(3);
    // Results arrive in different orders with 1, 2 and 4 workers; the merge is by shard id.
    if (finals.one) expect(maxDiff(weights, finals.one)).toBe(0);
    if (finals.two) expect(maxDiff(weights, finals.two)).toBe(0);
  });

  it('abort after epoch 0, then a new driver resumes from Redis: same final codebook', async () => {
    const worker = new DistributedWorker({ connection: redis.url, queueName: 'qr', chunkRows: 100, dataRoot: dir });
    await worker.waitUntilReady();
    const runId = 'resume-test';
    try {
      const first = new DistributedDriver({ connection: redis.url, queueName: 'qr', pollMs: 50 });
      const som = await initialSom(data, N, D);
      await som.setWeights({ data: init, shape: [som.units, D] });
      const ctl = new AbortController();
      const err = await first.train({ som, shards, runId, signal: ctl.signal, onEpochEnd: () => ctl.abort() }).catch((e: unknown) => e);
      expect(isSomError(err, 'ERR_ABORTED'), String(err)).toBe(true);
      expect((await first.getRunState(runId))?.epochsDone).toBe(1);
      som.dispose();
      await first.close();
      // A restarted driver knows only the run id.
      const second = new DistributedDriver({ connection: redis.url, queueName: 'qr', pollMs: 50 });
      try {
        const r = await second.train({ runId, resume: true, evaluate: true });
        expect(r.startEpoch).toBe(1);
        expect(r.history.qe).toHaveLength(2);
        expect(r.som.history.qe).toHaveLength(3);
        expect(maxDiff(r.som.getWeights(), ref.weights)).toBeLessThan(TOL);
        const check = await r.som.evaluate({ data, shape: [N, D] });
        expect(r.final?.n).toBe(N);
        expect(r.final?.qe).toBeCloseTo(check.qe, 4);
        expect(r.final?.te).toBeCloseTo(check.te, 6);
        r.som.dispose();
        // Resuming a finished run returns at once with the same codebook.
        const again = await second.train({ runId, resume: true });
        expect(again.history.qe).toHaveLength(0);
        expect(maxDiff(again.som.getWeights(), ref.weights)).toBeLessThan(TOL);
        again.som.dispose();
        await second.deleteRun(runId);
        expect(await second.getRunState(runId)).toBeUndefined();
      } finally {
        await second.close();
      }
    } finally {
      await worker.close();
    }
  });
});
