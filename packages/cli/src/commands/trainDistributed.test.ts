import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng, SOM } from '@somkit/core';
import { writeNpyFile } from '@somkit/datasets/node';
import { localRedisUnavailable, startLocalRedis, type LocalRedis } from '@somkit/distributed/testing';
import { main } from '../main.js';
import { memoryIo } from '../Io.js';
import { runWorker } from './worker.js';

const N = 600;
const D = 4;
const why = localRedisUnavailable();

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await main(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

describe('somkit train --distributed / somkit worker: usage', () => {
  it('flags are checked before anything connects', async () => {
    const cwd = tmpdir();
    const base = ['train', '--data', 'x.npy', '--rows', '3', '--cols', '3', '--out', 'm.json'];
    expect((await run([...base, '--redis', 'redis://127.0.0.1:1'], cwd)).err).toMatch(/add --distributed/);
    expect((await run([...base, '--distributed'], cwd)).err).toMatch(/--redis is required/);
    const mb = await run([...base, '--distributed', '--redis', 'redis://127.0.0.1:1', '--rule', 'minibatch'], cwd);
    expect([mb.code, mb.err]).toEqual([2, expect.stringMatching(/batch-map rule/)]);
    expect((await run([...base, '--distributed', '--redis', 'redis://127.0.0.1:1', '--shards', '0'], cwd)).code).toBe(2);
    expect((await run(['worker'], cwd)).err).toMatch(/--redis is required/);
    const bad = await run(['worker', '--redis', 'http://nope', '--backend', 'cpu', '--quiet'], cwd);
    expect([bad.code, bad.err]).toEqual([1, expect.stringMatching(/ERR_INVALID_CONFIG.*redis:\/\//)]);
    const help = await run(['worker', '--help'], cwd);
    expect([help.code, help.out]).toEqual([0, expect.stringContaining('--concurrency N')]);
    expect((await run(['--help'], cwd)).out).toMatch(/worker\s+serve distributed training jobs/);
  });
});

describe.skipIf(why !== undefined)(why !== undefined ? `somkit train --distributed — skipped: ${why}` : 'somkit train --distributed with somkit worker', () => {
  let redis: LocalRedis;
  let dir = '';
  let data: Float32Array;

  beforeAll(async () => {
    [redis, dir] = await Promise.all([startLocalRedis(), mkdtemp(join(tmpdir(), 'somkit-cli-dist-'))]);
    const r = new Rng(3);
    data = Float32Array.from({ length: N * D }, (_, i) => r.normal() + (Math.floor(i / D) % 3) * 4);
    await writeNpyFile(join(dir, 'x.npy'), data, [N, D]);
  });

  afterAll(async () => {
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('trains on a worker: the train JSON contract, and the codebook of single-process batch-map from the same start', async () => {
    const ctl = new AbortController();
    const wio = memoryIo(dir);
    const worker = runWorker(['--redis', redis.url, '--backend', 'cpu'], wio, ctl.signal);
    try {
      const args = ['train', '--data', 'x.npy', '--rows', '4', '--cols', '5', '--epochs', '3', '--sigma', '2', '--backend', 'cpu', '--out', 'm.json', '--json'];
      const t = await run([...args, '--distributed', '--redis', redis.url, '--shards', '3'], dir);
      expect(t.code, t.err).toBe(0);
      const j = JSON.parse(t.out.trim().split('\n').at(-1)!) as Record<string, unknown>;
      expect(j).toMatchObject({ backend: 'cpu', epochs: 3, rule: 'batch-map', n: N, d: D, units: 20, rows: 4, cols: 5, distributed: true, shards: 3, redis: redis.url });
      for (const k of ['qe', 'te', 'train_seconds', 'samples_per_second', 'topology', 'pbc', 'init', 'batch_size', 'distance', 'neighborhood', 'search', 'model', 'run_id']) expect(j).toHaveProperty(k);
      // Reference: the same SOM initialised from the first shard (rows 0..199), then fit() with batch-map.
      const ref = new SOM({ rows: 4, cols: 5, dims: D, epochs: 3, sigma: 2, rule: 'batch-map' });
      await ref.initialize({ data: data.subarray(0, 200 * D), shape: [200, D] });
      await ref.fit({ data, shape: [N, D] });
      const model = await SOM.fromJSON(JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')));
      const a = model.getWeights();
      const b = ref.getWeights();
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 4);
      expect(model.history.qe).toHaveLength(3);
      const { qe, te } = await model.evaluate({ data, shape: [N, D] });
      expect(j.qe as number).toBeCloseTo(qe, 5);
      expect(j.te as number).toBeCloseTo(te, 5);
      model.dispose();
      ref.dispose();
      // One line per job: 3 shards × (3 epochs + the final QE/TE pass).
      expect(wio.stdout.join('').trim().split('\n').filter((l) => l.startsWith('done run='))).toHaveLength(12);
    } finally {
      ctl.abort();
      expect(await worker).toBe(0);
    }
  });
});
