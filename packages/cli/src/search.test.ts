// `--search NAME` on train and bench: the optional ONNX Runtime engine, forced, refused, or picked by auto.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngines } from './common.js';
import { main } from './main.js';
import { memoryIo } from './Io.js';

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await main(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

const lastJson = (out: string): Record<string, unknown> => JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('somkit train/bench --search', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'somkit-search-'));
    const rows = ['a,b,c'];
    for (let i = 0; i < 90; i++) rows.push(`${(i % 3) * 5 + Math.sin(i)},${(i % 3) * -4 + Math.cos(i)},${i % 2}`);
    await writeFile(join(dir, 'small.csv'), rows.join('\n') + '\n');
  });

  it('loadEngines registers the installed engines (ONNX Runtime, worker threads, usearch index)', async () => {
    expect(await loadEngines()).toEqual([
      { search: 'onnxruntime', module: '@somkit/engine-onnxruntime/register', loaded: true },
      { search: 'parallel', module: '@somkit/parallel/register', loaded: true },
      { search: 'usearch', module: '@somkit/search-usearch/register', loaded: true },
    ]);
  });

  it('--search usearch on a map below its minUnits fails with the index\'s reason, not silently', async () => {
    const r = await run(['train', '--data', 'small.csv', '--rows', '4', '--cols', '4', '--epochs', '1', '--search', 'usearch', '--out', 'u.json'], dir);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/ERR_BACKEND_UNSUPPORTED: Search backend 'usearch' cannot run here: the map has 16 units, fewer than minUnits = 2048/);
  });

  it('--search onnxruntime trains on the engine (both rules, cpu and wasm); the model records it and eval reproduces qe', async () => {
    for (const [rule, backend] of [['minibatch', 'cpu'], ['batch-map', 'wasm']] as const) {
      const out = `ort-${rule}.json`;
      const r = await run(['train', '--data', 'small.csv', '--rows', '4', '--cols', '4', '--epochs', '3', '--rule', rule, '--backend', backend, '--search', 'onnxruntime', '--out', out, '--json'], dir);
      expect(r.code, r.err).toBe(0);
      const j = lastJson(r.out);
      expect(j).toMatchObject({ search: 'onnxruntime', backend, rule, n: 90, d: 3 });
      const model = JSON.parse(await readFile(join(dir, out), 'utf8')) as { config: { search: unknown } };
      expect(model.config.search).toEqual({ name: 'onnxruntime' });
      const e = await run(['eval', '--model', out, '--data', 'small.csv', '--backend', backend, '--json'], dir);
      expect(e.code, e.err).toBe(0);
      expect(lastJson(e.out).qe).toBe(j.qe);
    }
  });

  it('auto picks onnxruntime for euclidean on cpu; --search brute-force keeps the tfjs search; both give the same map', async () => {
    const base = ['train', '--data', 'small.csv', '--rows', '3', '--cols', '3', '--epochs', '2', '--backend', 'cpu', '--json'];
    const auto = await run([...base, '--out', 'auto.json'], dir);
    const brute = await run([...base, '--search', 'brute-force', '--out', 'brute.json'], dir);
    expect(auto.code, auto.err).toBe(0);
    expect(brute.code, brute.err).toBe(0);
    expect(lastJson(auto.out).search).toBe('onnxruntime');
    expect(lastJson(brute.out).search).toBe('brute-force');
    expect(Math.abs((lastJson(auto.out).qe as number) - (lastJson(brute.out).qe as number))).toBeLessThan(1e-4);
    // auto with a distance the engine does not compute falls back to brute force.
    const cos = await run([...base, '--distance', 'cosine', '--out', 'cos.json'], dir);
    expect(cos.code, cos.err).toBe(0);
    expect(lastJson(cos.out).search).toBe('brute-force');
  });

  it('--search onnxruntime where the engine cannot run fails with its reason; unknown names list the registered ones', async () => {
    const r = await run(['train', '--data', 'small.csv', '--rows', '2', '--cols', '2', '--epochs', '1', '--backend', 'cpu', '--distance', 'cosine', '--search', 'onnxruntime', '--out', 'x.json'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ERR_BACKEND_UNSUPPORTED: Search backend 'onnxruntime' cannot run here: .*not 'cosine'/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const u = await run(['train', '--data', 'small.csv', '--rows', '2', '--cols', '2', '--epochs', '1', '--backend', 'cpu', '--search', 'faiss', '--out', 'x.json'], dir);
    expect(u.code).toBe(1);
    expect(u.err).toMatch(/ERR_UNKNOWN_PLUGIN: Unknown search 'faiss'\. Registered: .*onnxruntime/);
  });

  it('bench --search onnxruntime prints a JSON line naming the engine', async () => {
    const r = await run(['bench', '--n', '300', '--d', '4', '--grid', '4', '--epochs', '1', '--batch', '64', '--backend', 'cpu', '--search', 'onnxruntime'], dir);
    expect(r.code, r.err).toBe(0);
    expect(lastJson(r.out)).toMatchObject({ library: 'somkit', search: 'onnxruntime', backend: 'cpu', n: 300, d: 4, units: 16 });
    // A fit this short is below the CPU watch's 0.5 s: no shares rather than tick noise.
    expect(lastJson(r.out)).not.toHaveProperty('foreign_cpu_share');
    const b = await run(['bench', '--n', '300', '--d', '4', '--grid', '4', '--epochs', '1', '--batch', '64', '--backend', 'cpu', '--search', 'brute-force'], dir);
    expect(lastJson(b.out)).toMatchObject({ search: 'brute-force' });
  });
});
