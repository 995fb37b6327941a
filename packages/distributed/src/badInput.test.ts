import { copyFile, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue, Worker } from 'bullmq';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { isSomError, type SomError, type SomErrorCode } from '@somkit/plugin-api';
import type { NeuronSums, SOM } from '@somkit/core';
import { binaryRedis } from './binaryRedis.js';
import { DistributedDriver } from './DistributedDriver.js';
import { DistributedWorker } from './DistributedWorker.js';
import { openBuiltinShard } from './openBuiltinShard.js';
import { runKeys } from './runKeys.js';
import { shardDataFile } from './shardDataFile.js';
import type { CsvShard, NpyShard, ShardDescriptor } from './ShardDescriptor.js';
import { SHARD_JOB_NAME, type ShardJobData } from './ShardJob.js';
import { encodeSums } from './sumsCodec.js';
import { localRedisUnavailable, startLocalRedis, type LocalRedis } from './testing/redisServer.js';
import { blobs, initialSom, npyFile } from './__fixtures__/harness.js';

const N = 800;
const D = 8;
const why = localRedisUnavailable();

describe.skipIf(why !== undefined)(why !== undefined ? `distributed bad input — skipped: ${why}` : 'distributed training refuses bad input with a clear error and no partial epoch', () => {
  let redis: LocalRedis;
  let dir = '';
  let shards: NpyShard[] = [];
  let data: Float32Array;
  let wide = '';
  let outside = '';

  beforeAll(async () => {
    await tf.setBackend('cpu');
    [redis, dir] = await Promise.all([startLocalRedis(), mkdtemp(join(tmpdir(), 'somkit-dist-'))]);
    data = blobs(N, D, 5);
    shards = (await shardDataFile(await npyFile(dir, 'x', data, N, D), 4)).shards as NpyShard[];
    wide = await npyFile(dir, 'wide', blobs(N, D + 1, 5), N, D + 1);
    outside = await mkdtemp(join(tmpdir(), 'somkit-outside-'));
  });

  afterAll(async () => {
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (outside) await rm(outside, { recursive: true, force: true });
  });

  const drivers: DistributedDriver[] = [];
  afterAll(async () => {
    await Promise.all(drivers.map((d) => d.close()));
  });
  /** A driver for housekeeping (deleteRun), closed after the suite. */
  async function driverFor(queueName: string): Promise<DistributedDriver> {
    const d = new DistributedDriver({ connection: redis.url, queueName });
    drivers.push(d);
    return d;
  }

  /** Trains one run that must fail; checks that nothing was applied, locally or in Redis. */
  async function failsWith(queueName: string, code: SomErrorCode, list: ShardDescriptor[], during?: (driver: DistributedDriver, runId: string) => Promise<void>, onDriver?: (driver: DistributedDriver) => void): Promise<SomError> {
    const driver = new DistributedDriver({ connection: redis.url, queueName, attempts: 2, backoffMs: 10, pollMs: 50 });
    onDriver?.(driver);
    const som: SOM = await initialSom(data, N, D, { rows: 4, cols: 4, dims: D, rule: 'batch-map', epochs: 2, sigma: 2 });
    const before = som.getWeights();
    const runId = `bad-${queueName}`;
    try {
      const training = driver.train({ som, shards: list, runId, signal: AbortSignal.timeout(30_000) });
      const [err] = await Promise.all([training.catch((e: unknown) => e), during?.(driver, runId)]);
      expect(isSomError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
      // No partial epoch: the codebook, the history and the stored state are untouched.
      expect(som.getWeights()).toEqual(before);
      expect(som.history.qe).toHaveLength(0);
      expect((await driver.getRunState(runId))?.epochsDone).toBe(0);
      return err as SomError;
    } finally {
      som.dispose();
      await driver.close();
    }
  }

  it("a SOM with missing: 'mask' is refused before any job: ERR_INVALID_CONFIG saying what to do", async () => {
    const driver = new DistributedDriver({ connection: redis.url, queueName: 'qmask', attempts: 1, backoffMs: 10, pollMs: 50 });
    const som: SOM = await initialSom(data, N, D, { rows: 4, cols: 4, dims: D, rule: 'batch-map', epochs: 2, sigma: 2, missing: 'mask' });
    try {
      const err = await driver.train({ som, shards, runId: 'mask', signal: AbortSignal.timeout(10_000) }).catch((e: unknown) => e);
      expect(isSomError(err, 'ERR_INVALID_CONFIG') && /missing values/.test(err.message)).toBe(true);
      expect(som.history.qe).toHaveLength(0);
    } finally {
      som.dispose();
      await driver.close();
    }
  });

  it('an unreadable shard: ERR_IO naming the shard, after the retries', async () => {
    const worker = new DistributedWorker({ connection: redis.url, queueName: 'qio', dataRoot: dir });
    await worker.waitUntilReady();
    let tries = 0;
    worker.on('jobFailed', () => tries++);
    try {
      const missing = join(dir, 'not-there.npy');
      const err = await failsWith('qio', 'ERR_IO', [...shards.slice(0, 3), { ...shards[3]!, path: missing }]);
      expect(err.message).toContain(missing);
      expect(err.message).toMatch(/Shard 3 failed in epoch 0 after 2 attempt/);
      expect(tries).toBe(2);
    } finally {
      await worker.close();
    }
  });

  it('a worker whose data have another width: ERR_SHAPE_MISMATCH', async () => {
    // This worker's filesystem holds a 9-column file where the driver's has 8 columns.
    const worker = new DistributedWorker({ connection: redis.url, queueName: 'qw', openShard: (d) => openBuiltinShard({ ...(d as NpyShard), path: wide }) });
    await worker.waitUntilReady();
    try {
      const err = await failsWith('qw', 'ERR_SHAPE_MISMATCH', shards);
      expect(err.message).toMatch(/width 9 .* dims 8/);
    } finally {
      await worker.close();
    }
  });

  it('a job whose codebook version is not the one in Redis: ERR_MODEL_FORMAT, not retried', async () => {
    const spy = new Queue('qv', { connection: { url: redis.url } });
    let worker: DistributedWorker | undefined;
    let tries = 0;
    try {
      const err = await failsWith('qv', 'ERR_MODEL_FORMAT', shards, async (_driver, runId) => {
        // Once the epoch's jobs are queued (no worker yet), another version lands in the codebook key.
        while (((await spy.getJobCounts('waiting')).waiting ?? 0) < shards.length) await new Promise((r) => setTimeout(r, 20));
        const m = binaryRedis(await spy.client).multi();
        m.hset(runKeys(runId).codebook, { version: '0-0000000000000000' });
        await m.exec();
        worker = new DistributedWorker({ connection: redis.url, queueName: 'qv', dataRoot: dir });
        worker.on('jobFailed', () => tries++);
      });
      expect(err.message).toMatch(/Codebook version mismatch: the job is for version 0-[0-9a-f]{16} but .*codebook holds version 0-0000000000000000/);
      expect(err.message).toMatch(/after 1 attempt/);
      expect(tries).toBeGreaterThanOrEqual(1);
    } finally {
      await worker?.close();
      await spy.close();
    }
  });

  it('a shard path outside the worker\'s data root, directly or through a symlink, is refused at once: ERR_INVALID_INPUT naming the root, not retried', async () => {
    const root = await realpath(dir);
    const target = join(outside, 'x.npy');
    await copyFile(shards[0]!.path, target);
    await symlink(target, join(dir, 'link.npy'));
    await symlink(outside, join(dir, 'linked-dir'));
    const worker = new DistributedWorker({ connection: redis.url, queueName: 'qroot', dataRoot: dir });
    await worker.waitUntilReady();
    let tries = 0;
    worker.on('jobFailed', () => tries++);
    try {
      for (const path of [target, join(dir, 'link.npy'), join(dir, 'linked-dir', 'x.npy'), join(dir, '..', outside.split('/').at(-1)!, 'x.npy')]) {
        tries = 0;
        const t0 = performance.now();
        const err = await failsWith('qroot', 'ERR_INVALID_INPUT', [{ ...shards[0]!, path }]);
        expect(err.message).toContain(`data root ${JSON.stringify(root)}`);
        expect(err.message).toMatch(/after 1 attempt/);
        expect(err.message).not.toMatch(/\n/);
        expect(tries).toBe(1);
        expect(performance.now() - t0).toBeLessThan(10_000);
        await (await driverFor('qroot')).deleteRun('bad-qroot');
      }
    } finally {
      await worker.close();
    }
  });

  it('a worker with a data root reads the shards inside it, by absolute or relative path', async () => {
    const worker = new DistributedWorker({ connection: redis.url, queueName: 'qin', dataRoot: dir });
    await worker.waitUntilReady();
    const driver = new DistributedDriver({ connection: redis.url, queueName: 'qin', pollMs: 50 });
    const som: SOM = await initialSom(data, N, D, { rows: 4, cols: 4, dims: D, rule: 'batch-map', epochs: 1, sigma: 2 });
    try {
      const relative = shards.map((sh) => ({ ...sh, path: 'x.npy' }));
      const r = await driver.train({ som, shards: [...shards.slice(0, 2), ...relative.slice(2)], signal: AbortSignal.timeout(30_000) });
      expect(r.history.qe).toHaveLength(1);
    } finally {
      som.dispose();
      await driver.close();
      await worker.close();
    }
  });

  it('what a reader says about the data (CSV cells, headers) stays in the worker\'s log; the job fails with its code only', async () => {
    const csv = join(dir, 'secret.csv');
    await writeFile(csv, 'a,secret_header,c\n1,2,3\n4,TOPSECRET42,6\n7,8,9\n');
    const worker = new DistributedWorker({ connection: redis.url, queueName: 'qcsv', dataRoot: dir });
    const local: string[] = [];
    worker.on('jobFailed', (j) => void local.push(j.error));
    await worker.waitUntilReady();
    try {
      const cell = await failsWith('qcsv', 'ERR_PARSE', [{ kind: 'csv', path: csv, rowStart: 0, rowEnd: 3 } satisfies CsvShard]);
      expect(cell.message).not.toMatch(/TOPSECRET42|secret_header/);
      expect(cell.message).toMatch(/the shard could not be parsed \(line 3\)/);
      expect(cell.message).toContain(csv); // the descriptor (the path) is named, not the content
      // The worker's own log has the reader's message.
      expect(local.some((m) => m.includes('TOPSECRET42'))).toBe(true);
    } finally {
      await worker.close();
    }
  });

  it('a missing label column: the headers are not sent either', async () => {
    const csv = join(dir, 'secret2.csv');
    await writeFile(csv, 'a,secret_header,c\n1,2,3\n4,5,6\n');
    const worker = new DistributedWorker({ connection: redis.url, queueName: 'qhdr', dataRoot: dir });
    await worker.waitUntilReady();
    try {
      const err = await failsWith('qhdr', 'ERR_INVALID_INPUT', [{ kind: 'csv', path: csv, labelColumn: 'nope', rowStart: 0, rowEnd: 2 } satisfies CsvShard]);
      expect(err.message).not.toMatch(/secret_header/);
    } finally {
      await worker.close();
    }
  });

  /** A rogue worker on the queue: answers every shard job with `answer(job data)`. */
  function rogueWorker(queueName: string, answer: (d: ShardJobData, rows: number) => NeuronSums, onJob?: () => void): Worker {
    return new Worker(queueName, async (job) => {
      onJob?.();
      const d = job.data as ShardJobData;
      const sh = d.shard as NpyShard;
      return { ...encodeSums(answer(d, sh.rowEnd - sh.rowStart)), shardId: d.shardId, version: d.version, worker: 'rogue', seconds: 0 };
    }, { connection: { url: redis.url } });
  }

  /** Valid-looking sums of `n` rows on a 4×4 map: every row counted at unit 0. */
  function sumsOf(n: number, fill = 1): NeuronSums {
    const sums = new Float32Array(16 * (D + 1));
    for (let j = 0; j < D; j++) sums[j] = fill * n;
    sums[D] = n;
    return { sums, qeSum: n, teCount: 0, n, units: 16, dims: D };
  }

  for (const [name, code, answer] of [
    ['NaN sums', 'ERR_NON_FINITE', (_d: ShardJobData, n: number) => sumsOf(n, Number.NaN)],
    ['unit counts that do not add up to n', 'ERR_MODEL_FORMAT', (_d: ShardJobData, n: number) => ({ ...sumsOf(n), n: n + 3 })],
    ['n other than the shard\'s rows', 'ERR_MODEL_FORMAT', (_d: ShardJobData, n: number) => sumsOf(n + 1)],
  ] as const) {
    it(`a worker returning ${name}: rejected, queued again, then the run fails with ${code} (never applied)`, async () => {
      const queue = `qrogue-${code}-${name.length}`;
      const rogue = rogueWorker(queue, answer);
      const rejected = new Map<number, number>();
      try {
        await rogue.waitUntilReady();
        const err = await failsWith(queue, code, shards, undefined, (driver) => driver.on('resultRejected', (r) => void rejected.set(r.shardId, (rejected.get(r.shardId) ?? 0) + 1)));
        expect(err.message).toMatch(/^Shard \d in epoch 0: 2 result\(s\) failed the driver's checks, the last from worker rogue: /);
        expect(err.message).not.toMatch(/\n/);
        expect(Math.max(...rejected.values())).toBe(2); // attempts: 2
      } finally {
        await rogue.close();
      }
    });
  }

  it('a rejected result is computed again by another worker: the run goes on', async () => {
    let jobs = 0;
    const rogue = rogueWorker('qonce', (_d, n) => sumsOf(n, Number.NaN), () => void jobs++);
    await rogue.waitUntilReady();
    const driver = new DistributedDriver({ connection: redis.url, queueName: 'qonce', pollMs: 50 });
    const rejected: number[] = [];
    driver.on('resultRejected', (r) => void rejected.push(r.shardId));
    const som: SOM = await initialSom(data, N, D, { rows: 4, cols: 4, dims: D, rule: 'batch-map', epochs: 1, sigma: 2 });
    let worker: DistributedWorker | undefined;
    try {
      const training = driver.train({ som, shards, signal: AbortSignal.timeout(30_000) });
      while (jobs === 0) await new Promise((r) => setTimeout(r, 10));
      await rogue.close(); // it answered once (or more), then left
      worker = new DistributedWorker({ connection: redis.url, queueName: 'qonce', dataRoot: dir });
      const r = await training;
      expect(rejected.length).toBeGreaterThanOrEqual(1);
      expect(r.history.qe).toHaveLength(1);
      expect(som.getWeights().every(Number.isFinite)).toBe(true);
    } finally {
      som.dispose();
      await driver.close();
      await worker?.close();
      await rogue.close();
    }
  });

  it('Redis unreachable: train rejects with ERR_IO naming the address after connectTimeoutMs, and close() returns', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address() as { port: number };
        srv.close(() => resolve(a.port));
      });
    });
    const driver = new DistributedDriver({ connection: `redis://127.0.0.1:${port}`, connectTimeoutMs: 400 });
    const som: SOM = await initialSom(data, N, D, { rows: 4, cols: 4, dims: D, rule: 'batch-map', epochs: 1, sigma: 2 });
    const t0 = performance.now();
    try {
      const err = await driver.train({ som, shards }).catch((e: unknown) => e);
      expect(isSomError(err, 'ERR_IO'), String(err)).toBe(true);
      expect((err as Error).message).toMatch(new RegExp(`Cannot reach Redis at redis://127\\.0\\.0\\.1:${port} within 0\\.4 s \\(.*ECONNREFUSED`));
      expect(performance.now() - t0).toBeLessThan(5_000);
    } finally {
      som.dispose();
      await driver.close();
    }
    expect(performance.now() - t0).toBeLessThan(6_000);
  });

  it('initialize: refused on a SOM that has a codebook, for an unknown mode, and pca on 1 feature — before any job', async () => {
    const driver = new DistributedDriver({ connection: redis.url, queueName: 'qinit' });
    const { SOM } = await import('@somkit/core');
    const has: SOM = await initialSom(data, N, D, { rows: 2, cols: 2, dims: D, rule: 'batch-map' });
    const fresh = new SOM({ rows: 2, cols: 2, dims: D, rule: 'batch-map' });
    const one = new SOM({ rows: 2, cols: 2, dims: 1, rule: 'batch-map', init: 'pca' });
    try {
      await expect(driver.train({ som: has, shards, initialize: true })).rejects.toThrow(/already has a codebook/);
      await expect(driver.train({ som: fresh, shards, initialize: 'nope' as never })).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_CONFIG'));
      await expect(driver.train({ som: one, shards, initialize: true })).rejects.toThrow(/'pca' needs at least 2 features/);
      const km = new SOM({ rows: 2, cols: 2, dims: D, rule: 'batch-map', init: 'kmeans' });
      await expect(driver.train({ som: km, shards, initialize: true })).rejects.toThrow(/init is 'kmeans'.*k-means init needs every row in one place/);
      km.dispose();
      expect(fresh.isInitialized).toBe(false);
      const spy = new Queue('qinit', { connection: { url: redis.url } });
      expect(await spy.getJobCountByTypes('waiting', 'active', 'completed', 'failed')).toBe(0);
      await spy.close();
    } finally {
      has.dispose();
      fresh.dispose();
      one.dispose();
      await driver.close();
    }
  });

  it('refuses a minibatch SOM, an uninitialised SOM, an existing run id and resume of an unknown run', async () => {
    const driver = new DistributedDriver({ connection: redis.url, queueName: 'qx' });
    const { SOM } = await import('@somkit/core');
    const mb = new SOM({ rows: 2, cols: 2, dims: D, rule: 'minibatch' });
    const bare = new SOM({ rows: 2, cols: 2, dims: D, rule: 'batch-map' });
    try {
      await expect(driver.train({ som: mb, shards })).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_CONFIG'));
      await expect(driver.train({ som: bare, shards })).rejects.toSatisfy((e) => isSomError(e, 'ERR_NOT_FITTED'));
      await expect(driver.train({ runId: 'nope', resume: true })).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_INPUT'));
      await bare.setWeights(Array.from({ length: 4 }, () => Array.from({ length: D }, () => 0)));
      await expect(driver.train({ som: bare, shards: [] })).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_CONFIG'));
      await expect(driver.train({ som: bare, shards, runId: 'has:colon' })).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_CONFIG'));
      // 'bad-qio' exists from the first test (a failed run keeps its state for resume).
      await expect(driver.train({ som: bare, shards, runId: 'bad-qio' })).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_CONFIG'));
    } finally {
      mb.dispose();
      bare.dispose();
      await driver.close();
    }
  });
});
