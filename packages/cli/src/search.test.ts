// `--engine NAME` and `--search NAME` on train and bench: the optional ONNX Runtime engine, forced,
// refused, or picked by auto; the usearch strategy; the v1 grammar `--search onnxruntime` still works.
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

describe('somkit train/bench --engine and --search', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'somkit-search-'));
    const rows = ['a,b,c'];
    for (let i = 0; i < 90; i++) rows.push(`${(i % 3) * 5 + Math.sin(i)},${(i % 3) * -4 + Math.cos(i)},${i % 2}`);
    await writeFile(join(dir, 'small.csv'), rows.join('\n') + '\n');
  });

  it('loadEngines registers the installed engines (ONNX Runtime, worker threads) and the usearch strategy', async () => {
    expect(await loadEngines()).toEqual([
      { kind: 'engine', name: 'onnxruntime', module: '@somkit/engine-onnxruntime/register', loaded: true },
      { kind: 'engine', name: 'parallel', module: '@somkit/parallel/register', loaded: true },
      { kind: 'search', name: 'usearch', module: '@somkit/search-usearch/register', loaded: true },
    ]);
  });

  it('--search usearch on a map below its minUnits fails with the index\'s reason, not silently', async () => {
    const r = await run(['train', '--data', 'small.csv', '--rows', '4', '--cols', '4', '--epochs', '1', '--search', 'usearch', '--out', 'u.json'], dir);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/ERR_BACKEND_UNSUPPORTED: Search backend 'usearch' cannot run here: the map has 16 units, fewer than minUnits = 2048/);
  });

  it('--engine onnxruntime trains on the engine (both rules, cpu and wasm); the model names no engine and eval reproduces qe', async () => {
    for (const [rule, backend] of [['minibatch', 'cpu'], ['batch-map', 'wasm']] as const) {
      const out = `ort-${rule}.json`;
      const r = await run(['train', '--data', 'small.csv', '--rows', '4', '--cols', '4', '--epochs', '3', '--rule', rule, '--backend', backend, '--engine', 'onnxruntime', '--out', out, '--json'], dir);
      expect(r.code, r.err).toBe(0);
      const j = lastJson(r.out);
      expect(j).toMatchObject({ engine: 'onnxruntime', search: 'brute-force', backend, rule, n: 90, d: 3 });
      const model = JSON.parse(await readFile(join(dir, out), 'utf8')) as { config: { search: unknown } };
      expect(model.config.search).toBe('auto');
      expect(JSON.stringify(model)).not.toMatch(/onnxruntime/);
      const e = await run(['eval', '--model', out, '--data', 'small.csv', '--backend', backend, '--json'], dir);
      expect(e.code, e.err).toBe(0);
      expect(lastJson(e.out).qe).toBe(j.qe);
    }
  });

  it('auto picks onnxruntime for euclidean on cpu; --engine tfjs keeps the tfjs engine; both give the same map; the v1 --search onnxruntime routes to the engine', async () => {
    const base = ['train', '--data', 'small.csv', '--rows', '3', '--cols', '3', '--epochs', '2', '--backend', 'cpu', '--json'];
    const auto = await run([...base, '--out', 'auto.json'], dir);
    const tfjs = await run([...base, '--engine', 'tfjs', '--out', 'tfjs.json'], dir);
    const v1 = await run([...base, '--search', 'onnxruntime', '--out', 'v1.json'], dir);
    expect(auto.code, auto.err).toBe(0);
    expect(tfjs.code, tfjs.err).toBe(0);
    expect(v1.code, v1.err).toBe(0);
    expect(lastJson(auto.out).engine).toBe('onnxruntime');
    expect(lastJson(tfjs.out).engine).toBe('tfjs');
    expect(lastJson(v1.out).engine).toBe('onnxruntime');
    expect(v1.err).toMatch(/--search onnxruntime names an engine; use --engine onnxruntime/);
    expect(lastJson(tfjs.out).search).toBe('brute-force');
    expect(Math.abs((lastJson(auto.out).qe as number) - (lastJson(tfjs.out).qe as number))).toBeLessThan(1e-4);
    // auto with a distance the engine does not compute falls back to the tfjs engine.
    const cos = await run([...base, '--distance', 'cosine', '--out', 'cos.json'], dir);
    expect(cos.code, cos.err).toBe(0);
    expect(lastJson(cos.out).engine).toBe('tfjs');
  });

  it('--engine onnxruntime where the engine cannot run fails with its reason; unknown names list the registered ones', async () => {
    const r = await run(['train', '--data', 'small.csv', '--rows', '2', '--cols', '2', '--epochs', '1', '--backend', 'cpu', '--distance', 'cosine', '--engine', 'onnxruntime', '--out', 'x.json'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ERR_BACKEND_UNSUPPORTED: Engine 'onnxruntime' cannot run here: .*not 'cosine'/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const u = await run(['train', '--data', 'small.csv', '--rows', '2', '--cols', '2', '--epochs', '1', '--backend', 'cpu', '--search', 'faiss', '--out', 'x.json'], dir);
    expect(u.code).toBe(1);
    expect(u.err).toMatch(/ERR_UNKNOWN_PLUGIN: Unknown search 'faiss'\. Registered: .*usearch/);
    const e = await run(['train', '--data', 'small.csv', '--rows', '2', '--cols', '2', '--epochs', '1', '--backend', 'cpu', '--engine', 'cuda-magic', '--out', 'x.json'], dir);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(/ERR_UNKNOWN_PLUGIN: Unknown engine 'cuda-magic'\. Registered: .*onnxruntime/);
  });

  it('--search usearch with --engine onnxruntime: the approximate strategy finds the BMUs, the engine does the sums and products; the model records the strategy only', async () => {
    const base = ['train', '--data', 'small.csv', '--rows', '48', '--cols', '48', '--epochs', '2', '--rule', 'batch-map', '--sigma', '8', '--sigma-decay', 'asymptotic_decay', '--backend', 'wasm', '--json'];
    const both = await run([...base, '--search', 'usearch', '--engine', 'onnxruntime', '--out', 'both.json'], dir);
    expect(both.code, both.err).toBe(0);
    expect(lastJson(both.out)).toMatchObject({ engine: 'onnxruntime', search: 'usearch', units: 2304 });
    const model = JSON.parse(await readFile(join(dir, 'both.json'), 'utf8')) as { config: { search: unknown } };
    expect(model.config.search).toEqual({ name: 'usearch' });
    const exact = await run([...base, '--engine', 'onnxruntime', '--out', 'exact.json'], dir);
    expect(exact.code, exact.err).toBe(0);
    // An approximate index on well-separated data: the same map within float tolerance.
    expect(Math.abs((lastJson(both.out).qe as number) - (lastJson(exact.out).qe as number))).toBeLessThan(1e-3);
  });

  it('bench --engine onnxruntime prints a JSON line naming the engine', async () => {
    const r = await run(['bench', '--n', '300', '--d', '4', '--grid', '4', '--epochs', '1', '--batch', '64', '--backend', 'cpu', '--engine', 'onnxruntime'], dir);
    expect(r.code, r.err).toBe(0);
    expect(lastJson(r.out)).toMatchObject({ library: 'somkit', engine: 'onnxruntime', search: 'brute-force', backend: 'cpu', n: 300, d: 4, units: 16 });
    // A fit this short is below the CPU watch's 0.5 s: no shares rather than tick noise.
    expect(lastJson(r.out)).not.toHaveProperty('foreign_cpu_share');
    const b = await run(['bench', '--n', '300', '--d', '4', '--grid', '4', '--epochs', '1', '--batch', '64', '--backend', 'cpu', '--engine', 'tfjs', '--search', 'brute-force'], dir);
    expect(lastJson(b.out)).toMatchObject({ engine: 'tfjs', search: 'brute-force' });
  });
});
