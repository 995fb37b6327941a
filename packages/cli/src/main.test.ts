import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '@somkit/datasets';
import { main } from './main.js';
import { memoryIo } from './Io.js';

const SHARED = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'datasets');

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await main(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

function lastJson(out: string): Record<string, unknown> {
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

describe('somkit CLI', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'somkit-cli-'));
    // A small CSV with a string label column.
    const rows = ['a,b,c,species'];
    for (let i = 0; i < 60; i++) rows.push(`${(i % 3) * 5 + Math.sin(i)},${(i % 3) * -4 + Math.cos(i)},${i % 2},${['x', 'y', 'z'][i % 3]}`);
    await writeFile(join(dir, 'small.csv'), rows.join('\n') + '\n');
  });

  it('demo writes model.json and a summary on a shipped dataset', async () => {
    const r = await run(['demo', '--dataset', 'iris', '--epochs', '5', '--out', 'demo', '--backend', 'cpu', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const s = lastJson(r.out);
    expect(s).toMatchObject({ dataset: 'iris', n: 150, d: 4, epochs: 5, backend: 'cpu', rule: 'batch-map', topology: 'hexagonal' });
    const model = JSON.parse(await readFile(join(dir, 'demo', 'model.json'), 'utf8'));
    expect(model.format).toBe('somkit.som');
    expect(await readFile(join(dir, 'demo', 'summary.txt'), 'utf8')).toMatch(/QE/);
    const html = await readFile(join(dir, 'demo', 'report.html'), 'utf8');
    expect(html).toMatch(/<svg/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect((s.figures as string[]).length).toBeGreaterThanOrEqual(9);
    for (const f of ['cluster-map', 'elbow', 'silhouette', 'cluster-comparison']) expect(html).toContain(f);
  });

  it('report writes report.html and PNG figures for a model and labelled data', async () => {
    const t = await run(['train', '--data', 'small.csv', '--label-column', 'species', '--rows', '4', '--cols', '4', '--epochs', '3', '--backend', 'cpu', '--out', 'r.json', '--json'], dir);
    expect(t.code, t.err).toBe(0);
    const r = await run(['report', '--model', 'r.json', '--data', 'small.csv', '--label-column', 'species', '--out', 'rep', '--backend', 'cpu', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const j = lastJson(r.out);
    expect(j.figures).toEqual(expect.arrayContaining(['u-matrix', 'hit-map', 'classification', 'component-planes', 'codebook-pca', 'training-curves']));
    const html = await readFile(join(dir, 'rep', 'report.html'), 'utf8');
    for (const name of ['x', 'y', 'z']) expect(html).toContain(`>${name}<`);
    const png = await readFile((j.png as string[])[0]!);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });

  it('report: integer labels 10/20/30 and a real class −1 get a legend of exactly those classes; QE/TE/grid once; cluster comparison rule', async () => {
    // Four well-separated groups labelled 10, 20, 30 and −1.
    const rows = ['a,b,label'];
    const means = [[0, 0], [8, 0], [0, 8], [8, 8]];
    const names = ['10', '20', '30', '-1'];
    for (let i = 0; i < 80; i++) rows.push(`${means[i % 4]![0]! + Math.sin(i) * 0.5},${means[i % 4]![1]! + Math.cos(i) * 0.5},${names[i % 4]}`);
    await writeFile(join(dir, 'ints.csv'), rows.join('\n') + '\n');
    const t = await run(['train', '--data', 'ints.csv', '--label-column', 'label', '--rows', '5', '--cols', '5', '--epochs', '5', '--backend', 'cpu', '--out', 'ints.json', '--json'], dir);
    expect(t.code, t.err).toBe(0);
    const r = await run(['report', '--model', 'ints.json', '--data', 'ints.csv', '--label-column', 'label', '--out', 'ints', '--no-png', '--cluster', 'kmeans', '--backend', 'cpu', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const html = await readFile(join(dir, 'ints', 'report.html'), 'utf8');
    const fig = /<figure[^>]*data-figure="classification"[\s\S]*?<\/figure>/.exec(html)![0];
    const legend = [...fig.matchAll(/class="legend-entry" data-label="([^"]*)"/g)].map((m) => m[1]);
    // Exactly the classes drawn on the map, named by their own values; −1 is a class, not noise.
    const drawn = [...new Set([...fig.matchAll(/<path class="cell"[^>]*data-value="(-?\d+)"/g)].map((m) => Number(m[1])))].sort((x, y) => x - y);
    expect(legend).toEqual(drawn.map((v) => `class ${v}`));
    expect(drawn).toEqual([-1, 10, 20, 30]);
    expect(fig).not.toContain('noise');
    // Summary: QE, TE and the grid once each.
    const heads = [...html.matchAll(/<tr><th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]!);
    for (const dup of ['QE', 'TE', 'grid', 'rule']) expect(heads).not.toContain(dup);
    for (const once of ['Grid', 'Quantization error (these samples)', 'Topographic error (these samples)']) expect(heads.filter((h) => h === once)).toHaveLength(1);
    // Comparison: the GMM's covariance is named; the best row is marked by the stated rule.
    const cmp = /<figure[^>]*data-figure="cluster-comparison"[\s\S]*?<\/figure>/.exec(html)![0];
    expect(cmp).toMatch(/gmm, (full|diag) \(k = \d+\)/);
    expect(cmp).toContain('silhouette × (1 − noise share)');
  });

  it('train --json prints the contract fields; eval reproduces qe and te', async () => {
    for (const rule of ['minibatch', 'batch-map']) {
      const r = await run(['train', '--data', 'small.csv', '--label-column', 'species', '--rows', '4', '--cols', '4', '--topology', 'hexagonal', '--init', 'pca', '--rule', rule, '--epochs', '4', '--sigma', '2', '--backend', 'cpu', '--out', `m-${rule}.json`, '--json'], dir);
      expect(r.code, r.err).toBe(0);
      const j = lastJson(r.out);
      for (const k of ['qe', 'te', 'train_seconds', 'samples_per_second', 'backend', 'epochs', 'rule', 'n', 'd', 'units']) expect(j).toHaveProperty(k);
      expect(j).toMatchObject({ rule, n: 60, d: 3, units: 16, epochs: 4, backend: 'cpu' });
      const e = await run(['eval', '--model', `m-${rule}.json`, '--data', 'small.csv', '--label-column', 'species', '--backend', 'cpu', '--json'], dir);
      expect(e.code, e.err).toBe(0);
      const ej = lastJson(e.out);
      expect(ej.qe).toBe(j.qe);
      expect(ej.te).toBe(j.te);
      expect(ej.n).toBe(60);
    }
  });

  it('train reads .npy and writes no progress bar with --json', async () => {
    const { toNpy } = await import('@somkit/datasets');
    const data = Float32Array.from({ length: 40 * 2 }, (_, i) => Math.sin(i));
    await writeFile(join(dir, 'x.npy'), toNpy(data, [40, 2]));
    const r = await run(['train', '--data', 'x.npy', '--rows', '3', '--cols', '3', '--epochs', '2', '--backend', 'wasm', '--out', 'npy.json', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(lastJson(r.out)).toMatchObject({ n: 40, d: 2, backend: 'wasm' });
  });

  it('export writes weights.npy [u, d] and coords.npy [u, 2] with unit hex spacing', async () => {
    const t = await run(['train', '--data', 'small.csv', '--label-column', 'species', '--rows', '4', '--cols', '5', '--topology', 'hexagonal', '--epochs', '2', '--backend', 'cpu', '--out', 'hex.json', '--json'], dir);
    expect(t.code, t.err).toBe(0);
    const r = await run(['export', '--model', 'hex.json', '--out', 'exp', '--backend', 'cpu'], dir);
    expect(r.code, r.err).toBe(0);
    const w = parseNpy(new Uint8Array(await readFile(join(dir, 'exp', 'weights.npy'))));
    const c = parseNpy(new Uint8Array(await readFile(join(dir, 'exp', 'coords.npy'))));
    expect(w.shape).toEqual([20, 3]);
    expect(c.shape).toEqual([20, 2]);
    const model = JSON.parse(await readFile(join(dir, 'hex.json'), 'utf8'));
    const { base64ToFloat32 } = await import('@somkit/geometry');
    expect([...w.data]).toEqual([...base64ToFloat32(model.codebook.data)!]);
    // unit (1, 2) (odd row) and its neighbours (0,2), (0,3), (1,1), (1,3), (2,2), (2,3) at distance 1
    const at = (r: number, col: number): [number, number] => [c.data[2 * (r * 5 + col)]!, c.data[2 * (r * 5 + col) + 1]!];
    const [x0, y0] = at(1, 2);
    for (const [r2, c2] of [[0, 2], [0, 3], [1, 1], [1, 3], [2, 2], [2, 3]] as const) {
      const [x, y] = at(r2, c2);
      expect(Math.hypot(x - x0, y - y0)).toBeCloseTo(1, 5);
    }
  });

  it('train without --rows/--cols sizes the map from the data and uses the library defaults; --preset torchsom gives TorchSOM\'s', async () => {
    const r = await run(['train', '--data', 'small.csv', '--label-column', 'species', '--epochs', '2', '--backend', 'cpu', '--out', 'auto.json', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const m = JSON.parse(await readFile(join(dir, 'auto.json'), 'utf8'));
    // 60 rows → about 5·√60 ≈ 39 units.
    expect(m.config.rows * m.config.cols).toBeGreaterThan(30);
    expect(m.config.rows * m.config.cols).toBeLessThan(48);
    expect(m.config).toMatchObject({ rule: 'batch-map', init: 'pca', sigma: Math.max(m.config.rows, m.config.cols) / 2, sigmaDecay: { name: 'exponential', options: { final: 1 } } });
    const one = await run(['train', '--data', 'small.csv', '--label-column', 'species', '--rows', '3', '--epochs', '1', '--backend', 'cpu', '--out', 'one.json', '--json'], dir);
    expect(one.code, one.err).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'one.json'), 'utf8')).config).toMatchObject({ rows: 3, cols: Math.round((m.config.rows * m.config.cols) / 3) });
    const t = await run(['train', '--data', 'small.csv', '--label-column', 'species', '--rows', '4', '--cols', '4', '--preset', 'torchsom', '--epochs', '1', '--backend', 'cpu', '--out', 'torch.json', '--json'], dir);
    expect(t.code, t.err).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'torch.json'), 'utf8')).config).toMatchObject({ sigma: 1, learningRate: 0.5, batchSize: 5, init: 'random', rule: 'minibatch', lrDecay: { name: 'asymptotic_decay' }, sigmaDecay: { name: 'asymptotic_decay' } });
    const bad = await run(['train', '--data', 'small.csv', '--preset', 'minisom', '--out', 'o.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--preset expects one of somkit, torchsom/);
  });

  it('user errors: one line on stderr, non-zero exit, no stack trace', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['train', '--rows', '2', '--cols', '2', '--out', 'o.json'], 2, /--data is required/],
      [['train', '--data', 'small.csv', '--rows', 'x', '--cols', '2', '--out', 'o.json'], 2, /--rows expects an integer/],
      [['train', '--data', 'small.csv', '--rows', '2', '--cols', '2', '--out', 'o.json', '--rule', 'online'], 2, /--rule expects one of minibatch, batch-map/],
      [['train', '--data', 'small.csv', '--rows', '2', '--cols', '2', '--out', 'o.json', '--bogus'], 2, /Unknown option '--bogus'/],
      [['train', '--data', 'missing.csv', '--rows', '2', '--cols', '2', '--out', 'o.json', '--backend', 'cpu'], 1, /ERR_IO/],
      [['train', '--data', 'small.csv', '--rows', '2', '--cols', '2', '--out', 'o.json', '--backend', 'cpu'], 1, /ERR_PARSE.*species/],
      [['train', '--data', 'small.csv', '--label-column', 'species', '--rows', '3', '--cols', '2', '--topology', 'hexagonal', '--pbc', '--out', 'o.json', '--backend', 'cpu'], 1, /even number of rows/],
      [['train', '--data', 'small.csv', '--label-column', 'species', '--rows', '2', '--cols', '2', '--distance', 'hamming', '--out', 'o.json', '--backend', 'cpu'], 1, /ERR_UNKNOWN_PLUGIN/],
      [['train', '--data', 'small.csv', '--label-column', 'species', '--rows', '2', '--cols', '2', '--out', 'o.json', '--backend', 'tensorflow'], 1, /ERR_BACKEND_UNSUPPORTED/],
      [['eval', '--model', 'missing.json', '--data', 'small.csv', '--backend', 'cpu'], 1, /ERR_IO/],
      [['nope'], 2, /unknown command 'nope'/],
    ];
    await writeFile(join(dir, 'bad-model.json'), '{"format":"somkit.som","version":1}');
    cases.push([['eval', '--model', 'bad-model.json', '--data', 'small.csv', '--backend', 'cpu'], 1, /ERR_MODEL_FORMAT/]);
    for (const [args, code, pattern] of cases) {
      const r = await run(args, dir);
      expect(r.code, args.join(' ')).toBe(code);
      const errLines = r.err.trim().split('\n').filter((l) => !l.startsWith('backend:'));
      expect(errLines, args.join(' ')).toHaveLength(1);
      expect(errLines[0], args.join(' ')).toMatch(pattern);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('cluster prints labels per unit, k and the metrics', async () => {
    await run(['train', '--data', 'small.csv', '--label-column', 'species', '--rows', '5', '--cols', '5', '--epochs', '5', '--sigma', '2', '--init', 'pca', '--rule', 'batch-map', '--backend', 'cpu', '--out', 'c.json', '--json'], dir);
    for (const method of ['kmeans', 'gmm', 'hdbscan']) {
      const r = await run(['cluster', '--model', 'c.json', '--method', method, ...(method === 'hdbscan' ? ['--min-cluster-size', '3'] : ['--k', '3']), '--svg', `c-${method}.svg`, '--backend', 'cpu', '--json'], dir);
      expect(r.code, r.err).toBe(0);
      const j = lastJson(r.out);
      expect(j.labels).toHaveLength(25);
      expect(j.method).toBe(method);
      if (method !== 'hdbscan') expect(j.k).toBe(3);
      expect(j.metrics).toHaveProperty('silhouette');
      expect(j.metrics).toHaveProperty('topologicalCoherence');
      expect(await readFile(join(dir, `c-${method}.svg`), 'utf8')).toMatch(/^<svg/);
    }
    const auto = lastJson((await run(['cluster', '--model', 'c.json', '--method', 'kmeans', '--backend', 'cpu', '--json'], dir)).out);
    expect((auto.curve as { criterion: string }).criterion).toBe('inertia');
    const bad = await run(['cluster', '--model', 'c.json', '--method', 'kmeans', '--k', '26', '--backend', 'cpu'], dir);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/ERR_INVALID_CONFIG/);
    expect((await run(['cluster', '--model', 'c.json', '--method', 'dbscan'], dir)).err).toMatch(/--method expects one of kmeans, gmm, hdbscan/);
  });

  it('cluster --data weights the units by their hits and scores the samples against --label-column', async () => {
    await run(['train', '--data', 'small.csv', '--label-column', 'species', '--rows', '5', '--cols', '5', '--epochs', '5', '--sigma', '2', '--init', 'pca', '--rule', 'batch-map', '--backend', 'cpu', '--out', 'cw.json', '--json'], dir);
    for (const method of ['kmeans', 'gmm', 'hdbscan']) {
      const r = await run(['cluster', '--model', 'cw.json', '--data', 'small.csv', '--label-column', 'species', '--method', method, ...(method === 'hdbscan' ? [] : ['--k', '3']), '--backend', 'cpu', '--json'], dir);
      expect(r.code, r.err).toBe(0);
      const j = lastJson(r.out);
      const hits = j.hits as number[];
      expect(hits).toHaveLength(25);
      expect(hits.reduce((a, b) => a + b, 0)).toBe(j.n);
      expect(j.ari, method).toBeTypeOf('number');
      // Units without hits are noise for HDBSCAN.
      if (method === 'hdbscan') hits.forEach((h, u) => h === 0 && expect((j.labels as number[])[u]).toBe(-1));
    }
    const text = await run(['cluster', '--model', 'cw.json', '--data', 'small.csv', '--label-column', 'species', '--k', '3', '--backend', 'cpu'], dir);
    expect(text.out).toMatch(/weighted by the hits of \d+ samples/);
    expect(text.out).toMatch(/ARI of the samples' clusters against species: \d/);
    await writeFile(join(dir, 'other.csv'), 'a,b\n1,2\n3,4\n');
    const bad = await run(['cluster', '--model', 'cw.json', '--data', 'other.csv', '--backend', 'cpu'], dir);
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n').filter((l) => !l.startsWith('backend:'))).toHaveLength(1);
  });

  it('bench --suite hdbscan prints one JSON line', async () => {
    const r = await run(['bench', '--suite', 'hdbscan', '--units', '200', '--d', '3'], dir);
    expect(r.code, r.err).toBe(0);
    expect(lastJson(r.out)).toMatchObject({ suite: 'hdbscan', units: 200, dims: 3 });
    expect(lastJson(r.out).seconds as number).toBeGreaterThan(0);
  });

  it('eval refuses data of another width', async () => {
    await run(['train', '--data', 'small.csv', '--label-column', 'species', '--rows', '2', '--cols', '2', '--epochs', '1', '--backend', 'cpu', '--out', 'w.json', '--json'], dir);
    await writeFile(join(dir, 'wide.csv'), 'a,b,c,d\n1,2,3,4\n5,6,7,8\n');
    const r = await run(['eval', '--model', 'w.json', '--data', 'wide.csv', '--backend', 'cpu'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/expects 3 features.*has 4/);
  });

  it('help for every command', async () => {
    for (const c of ['demo', 'train', 'eval', 'export', 'report', 'cluster', 'bench']) {
      const r = await run([c, '--help'], dir);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Usage: somkit/);
    }
    expect((await run(['--help'], dir)).out).toMatch(/Commands:/);
  });

  it.skipIf(!existsSync(join(SHARED, 'digits.csv')))('digits acceptance (needs ../shared/datasets): 10×10 hexagonal, PCA init, both rules, eval reproduces qe', async () => {
    const digits = join(SHARED, 'digits.csv');
    for (const rule of ['minibatch', 'batch-map']) {
      const r = await run(['train', '--data', digits, '--label-column', 'target', '--rows', '10', '--cols', '10', '--topology', 'hexagonal', '--init', 'pca', '--rule', rule, '--epochs', '10', '--sigma', '3', '--backend', 'wasm', '--out', `digits-${rule}.json`, '--json'], dir);
      expect(r.code, r.err).toBe(0);
      const j = lastJson(r.out);
      expect(j.qe as number).toBeLessThan(26);
      expect(j.te as number).toBeLessThan(0.1);
      const e = lastJson((await run(['eval', '--model', `digits-${rule}.json`, '--data', digits, '--label-column', 'target', '--backend', 'wasm', '--json'], dir)).out);
      expect(e.qe).toBe(j.qe);
    }
  });
});
