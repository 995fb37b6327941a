import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOM } from '@somkit/core';
import { Rng } from '@somkit/geometry';
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

describe('somkit train --distributed: Redis unreachable', () => {
  it('reports the connection error and stops after --connect-timeout seconds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'somkit-cli-noredis-'));
    try {
      await writeNpyFile(join(dir, 'x.npy'), new Float32Array(40), [10, 4]);
      const port = await new Promise<number>((resolve) => {
        const srv = createServer().listen(0, '127.0.0.1', () => {
          const a = srv.address() as { port: number };
          srv.close(() => resolve(a.port));
        });
      });
      const t0 = performance.now();
      const t = await run(['train', '--data', 'x.npy', '--rows', '2', '--cols', '2', '--out', 'm.json', '--json', '--backend', 'cpu', '--distributed', '--redis', `redis://127.0.0.1:${port}`, '--connect-timeout', '0.5'], dir);
      expect(t.code).toBe(1);
      expect(t.err.trim().split('\n').at(-1)).toMatch(new RegExp(`^somkit train: error ERR_IO: Cannot reach Redis at redis://127\\.0\\.0\\.1:${port} within 0\\.5 s \\(.*ECONNREFUSED`));
      expect(performance.now() - t0).toBeLessThan(5_000);
      expect((await run(['train', '--data', 'x.npy', '--rows', '2', '--cols', '2', '--out', 'm.json', '--distributed', '--redis', 'redis://127.0.0.1:1', '--connect-timeout', '0'], dir)).code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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

  /** Largest |a − b| of two model files' codebooks. */
  async function codebookDiff(a: string, b: string): Promise<number> {
    const [ma, mb] = await Promise.all([a, b].map(async (f) => SOM.fromJSON(JSON.parse(await readFile(join(dir, f), 'utf8')))));
    const wa = ma!.getWeights();
    const wb = mb!.getWeights();
    ma!.dispose();
    mb!.dispose();
    let m = wa.length === wb.length ? 0 : Infinity;
    for (let i = 0; i < wa.length; i++) m = Math.max(m, Math.abs(wa[i]! - wb[i]!));
    return m;
  }

  it('trains on a worker: the train JSON contract, and the codebook of single-process train --rule batch-map', async () => {
    const ctl = new AbortController();
    const wio = memoryIo(dir);
    const worker = runWorker(['--redis', redis.url, '--backend', 'cpu'], wio, ctl.signal);
    try {
      // (Random init: the case checks the workers' row-pick init tasks; PCA init is the default now.)
      const args = ['train', '--data', 'x.npy', '--rows', '4', '--cols', '5', '--epochs', '3', '--sigma', '2', '--init', 'random', '--backend', 'cpu', '--json'];
      const t = await run([...args, '--out', 'm.json', '--distributed', '--redis', redis.url, '--shards', '3'], dir);
      expect(t.code, t.err).toBe(0);
      const j = JSON.parse(t.out.trim().split('\n').at(-1)!) as Record<string, unknown>;
      expect(j).toMatchObject({ backend: 'cpu', epochs: 3, rule: 'batch-map', n: N, d: D, units: 20, rows: 4, cols: 5, distributed: true, shards: 3, redis: redis.url });
      for (const k of ['qe', 'te', 'train_seconds', 'samples_per_second', 'topology', 'pbc', 'init', 'batch_size', 'distance', 'neighborhood', 'search', 'model', 'run_id']) expect(j).toHaveProperty(k);
      // Reference: the same command without --distributed (its init is over the whole file too).
      const single = await run([...args, '--out', 'single.json', '--rule', 'batch-map'], dir);
      expect(single.code, single.err).toBe(0);
      expect(await codebookDiff('m.json', 'single.json')).toBeLessThan(1e-4);
      const model = await SOM.fromJSON(JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')));
      expect(model.history.qe).toHaveLength(3);
      const { qe, te } = await model.evaluate({ data, shape: [N, D] });
      expect(j.qe as number).toBeCloseTo(qe, 5);
      expect(j.te as number).toBeCloseTo(te, 5);
      model.dispose();
      // One line per job: 3 shards × (3 epochs + the final QE/TE pass), and the init jobs (random: picked rows).
      const lines = wio.stdout.join('').trim().split('\n');
      expect(lines.filter((l) => l.startsWith('done run='))).toHaveLength(12);
      expect(lines.filter((l) => /^init run=\S+ task=rows shard=\d rows=\d+ /.test(l)).length).toBeGreaterThan(0);
    } finally {
      ctl.abort();
      expect(await worker).toBe(0);
    }
  });

  it('3,000 × 8, an 8×8 map, 4 epochs, 2 workers: --distributed gives the codebook of the same command without it (random and pca)', async () => {
    const n = 3_000;
    const d = 8;
    const r = new Rng(8);
    const big = Float32Array.from({ length: n * d }, (_, i) => r.normal() + (Math.floor(i / d) % 5) * 3 + (i % d) * 0.1);
    await writeNpyFile(join(dir, 'big.npy'), big, [n, d]);
    const ctl = new AbortController();
    // One engine everywhere (tfjs, the reference): engines differ in float rounding, which can move a borderline sample's BMU.
    const workers = [0, 1].map(() => runWorker(['--redis', redis.url, '--backend', 'cpu', '--engine', 'tfjs', '--quiet'], memoryIo(dir), ctl.signal));
    const shards = 5;
    try {
      for (const init of ['random', 'pca'] as const) {
        const args = ['train', '--data', 'big.npy', '--rows', '8', '--cols', '8', '--epochs', '4', '--sigma', '6', '--init', init, '--backend', 'cpu', '--engine', 'tfjs', '--json'];
        const dist = await run([...args, '--out', `big-${init}-d.json`, '--distributed', '--redis', redis.url, '--shards', String(shards)], dir);
        expect(dist.code, dist.err).toBe(0);
        const single = await run([...args, '--out', `big-${init}-s.json`, '--rule', 'batch-map'], dir);
        expect(single.code, single.err).toBe(0);
        const diff = await codebookDiff(`big-${init}-d.json`, `big-${init}-s.json`);
        const qe = (t: { out: string }): number => (JSON.parse(t.out.trim().split('\n').at(-1)!) as { qe: number }).qe;
        expect(Math.abs(qe(dist) - qe(single)) / qe(single)).toBeLessThan(1e-4);
        // random: the same rows, so only summation order differs. pca: the driver's moments are
        // float64, single-process train's float32, so the initial codebooks differ by ~1e-6 and
        // a few borderline samples can start at another BMU.
        const tol = init === 'random' ? 1e-4 : 2e-2;
        expect(diff, init).toBeLessThan(tol);
        // What the driver did before (init from the first shard only) is far outside that.
        const first = new SOM({ rows: 8, cols: 8, dims: d, epochs: 4, sigma: 6, init, rule: 'batch-map' });
        const rows0 = n / shards;
        await first.initialize({ data: big.subarray(0, rows0 * d), shape: [rows0, d] });
        await first.fit({ data: big, shape: [n, d] });
        const s = await SOM.fromJSON(JSON.parse(await readFile(join(dir, `big-${init}-s.json`), 'utf8')));
        let old = 0;
        const [a, b] = [first.getWeights(), s.getWeights()];
        for (let i = 0; i < a.length; i++) old = Math.max(old, Math.abs(a[i]! - b[i]!));
        first.dispose();
        s.dispose();
        expect(old, `${init}: the first-shard init`).toBeGreaterThan(10 * tol);
      }
    } finally {
      ctl.abort();
      expect(await Promise.all(workers)).toEqual([0, 0]);
    }
  });

  it('worker --data-root: a shard outside it stops the driver at once with a one-line error', async () => {
    const sub = join(dir, 'only-here');
    await mkdir(sub, { recursive: true });
    const ctl = new AbortController();
    const wio = memoryIo(dir);
    const worker = runWorker(['--redis', redis.url, '--backend', 'cpu', '--data-root', sub], wio, ctl.signal);
    try {
      const t0 = performance.now();
      const t = await run(['train', '--data', 'x.npy', '--rows', '2', '--cols', '2', '--epochs', '1', '--backend', 'cpu', '--out', 'no.json', '--json', '--distributed', '--redis', redis.url, '--shards', '2'], dir);
      expect(t.code).toBe(1);
      const lines = t.err.trim().split('\n');
      expect(lines.at(-1)).toMatch(/^somkit train: error ERR_INVALID_INPUT: Shard \d failed in the init pass after 1 attempt\(s\): The shard path .* outside this worker's data root .*only-here/);
      expect(performance.now() - t0).toBeLessThan(20_000);
      expect(wio.stderr.join('')).toMatch(/data root .*only-here/);
    } finally {
      ctl.abort();
      expect(await worker).toBe(0);
    }
  });
});
