import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { isSomError, type SomError, type SomErrorCode } from '@somkit/plugin-api';
import type { SOM } from '@somkit/core';
import { binaryRedis } from './binaryRedis.js';
import { DistributedDriver } from './DistributedDriver.js';
import { DistributedWorker } from './DistributedWorker.js';
import { openBuiltinShard } from './openBuiltinShard.js';
import { runKeys } from './runKeys.js';
import { shardDataFile } from './shardDataFile.js';
import type { NpyShard, ShardDescriptor } from './ShardDescriptor.js';
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

  beforeAll(async () => {
    await tf.setBackend('cpu');
    [redis, dir] = await Promise.all([startLocalRedis(), mkdtemp(join(tmpdir(), 'somkit-dist-'))]);
    data = blobs(N, D, 5);
    shards = (await shardDataFile(await npyFile(dir, 'x', data, N, D), 4)).shards as NpyShard[];
    wide = await npyFile(dir, 'wide', blobs(N, D + 1, 5), N, D + 1);
  });

  afterAll(async () => {
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Trains one run that must fail; checks that nothing was applied, locally or in Redis. */
  async function failsWith(queueName: string, code: SomErrorCode, list: ShardDescriptor[], during?: (driver: DistributedDriver, runId: string) => Promise<void>): Promise<SomError> {
    const driver = new DistributedDriver({ connection: redis.url, queueName, attempts: 2, backoffMs: 10, pollMs: 50 });
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

  it('an unreadable shard: ERR_IO naming the shard, after the retries', async () => {
    const worker = new DistributedWorker({ connection: redis.url, queueName: 'qio' });
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
        worker = new DistributedWorker({ connection: redis.url, queueName: 'qv' });
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

  it('refuses a minibatch SOM, an uninitialised SOM, an existing run id and resume of an unknown run', async () => {
    const driver = new DistributedDriver({ connection: redis.url, queueName: 'qx' });
    const { SOM } = await import('@somkit/core');
    const mb = new SOM({ rows: 2, cols: 2, dims: D });
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
