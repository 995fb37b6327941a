#!/usr/bin/env node
// Map quality of the defaults: somkit's (preset 'somkit', both rules), TorchSOM's (preset
// 'torchsom', which reproduces TorchSOM to float precision) and MiniSom's, at several grid sizes.
//
//   node bench/defaults.mjs [--datasets iris,wine,digits,blobs] [--sizes auto,12x12,50x50]
//        [--blobs /tmp/somdata/blobs_n20000_d32_c10_s42] [--minisom /tmp/minisom] [--no-minisom]
//
// iris, wine and digits come from @somkit/datasets, z-scored per feature (what `somkit train`
// does to a .csv by default); the blobs .npy is used as it is (the CLI's default for .npy).
// `auto` is the grid `suggestGrid` picks (what `SOM.forData` and `somkit train` without
// --rows/--cols use). Every SOM runs 10 epochs, seed 42, on tfjs-wasm. MiniSom runs through
// bench/minisom_defaults.py with Debian's python3 (numpy), imported from --minisom (never part of
// this repository); rows for it are skipped, with the reason, when it is missing.
// Output: one JSON line per run, then the markdown table for bench/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dist, root, tf } from './common.mjs';
import { zscore } from './data.mjs';


const { SOM, suggestGrid } = await import(dist('core'));
const { loadDataset, toNpy, parseNpy } = await import(dist('datasets'));
const { logger } = await import(dist('plugin-api'));
logger.setLevel('error');
await tf.setBackend('wasm');

const { values: a } = parseArgs({
  options: {
    datasets: { type: 'string', default: 'iris,wine,digits,blobs' },
    sizes: { type: 'string', default: 'auto,12x12,50x50' },
    blobs: { type: 'string', default: '/tmp/somdata/blobs_n20000_d32_c10_s42' },
    minisom: { type: 'string', default: process.env.MINISOM_PATH ?? '/tmp/minisom' },
    'no-minisom': { type: 'boolean', default: false },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});


async function load(name) {
  if (name === 'blobs') {
    const x = parseNpy(readFileSync(`${a.blobs}.npy`));
    const y = parseNpy(readFileSync(`${a.blobs}.labels.npy`));
    return { name: `blobs ${x.shape[0]}×${x.shape[1]}`, data: Float32Array.from(x.data), n: x.shape[0], d: x.shape[1], target: Int32Array.from(y.data) };
  }
  const ds = await loadDataset(name);
  return { name: `${name} ${ds.n}×${ds.d}`, data: zscore(ds.data, ds.n, ds.d), n: ds.n, d: ds.d, target: ds.target };
}

function purity(bmus, target, units) {
  const counts = new Map();
  for (let i = 0; i < bmus.length; i++) {
    const k = bmus[i] * 1000 + target[i];
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const best = new Float64Array(units);
  for (const [k, c] of counts) best[Math.floor(k / 1000)] = Math.max(best[Math.floor(k / 1000)], c);
  return best.reduce((s, v) => s + v, 0) / bmus.length;
}

const CONFIGS = [
  { label: 'somkit defaults (batch-map)', options: {} },
  { label: 'somkit defaults, rule minibatch', options: { rule: 'minibatch' } },
  { label: "TorchSOM defaults (preset 'torchsom')", options: { preset: 'torchsom' } },
];

const tmp = mkdtempSync(join(tmpdir(), 'somkit-defaults-'));
const results = [];
try {
  for (const name of a.datasets.split(',')) {
    const ds = await load(name);
    const input = { data: ds.data, shape: [ds.n, ds.d] };
    const auto = await suggestGrid(input);
    const dataNpy = join(tmp, `${name}.npy`);
    const labelsNpy = join(tmp, `${name}.labels.npy`);
    writeFileSync(dataNpy, toNpy(ds.data, [ds.n, ds.d]));
    writeFileSync(labelsNpy, toNpy(ds.target, [ds.n]));
    for (const size of a.sizes.split(',')) {
      const [rows, cols] = size === 'auto' ? [auto.rows, auto.cols] : size.split('x').map(Number);
      const grid = `${rows}×${cols}${size === 'auto' ? ' (auto)' : ''}`;
      for (const c of CONFIGS) {
        const som = new SOM({ rows, cols, dims: ds.d, engine: 'tfjs', ...c.options });
        const t0 = performance.now();
        await som.fit(input);
        const seconds = (performance.now() - t0) / 1000;
        const { qe, te } = await som.evaluate(input);
        const p = purity(await som.identifyBmus(input), ds.target, som.units);
        const r = { dataset: ds.name, grid, config: c.label, qe, te, purity: p, seconds, sigma: som.config.sigma, rule: som.config.rule, init: som.config.init };
        results.push(r);
        process.stdout.write(`${JSON.stringify(r)}\n`);
        som.dispose();
      }
      let m;
      if (a['no-minisom']) m = { error: '--no-minisom' };
      else if (!existsSync(join(a.minisom, 'minisom.py'))) m = { error: `no minisom.py in ${a.minisom}` };
      else {
        const p = spawnSync(a.python, [join(root, 'bench', 'minisom_defaults.py'), dataNpy, labelsNpy, String(rows), String(cols), '10'], { encoding: 'utf8', env: { ...process.env, MINISOM_PATH: a.minisom }, maxBuffer: 1 << 24 });
        const line = (p.stdout ?? '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
        m = p.status === 0 && line ? JSON.parse(line) : { error: ((p.stderr ?? '') || `exit ${p.status}`).trim().split('\n').pop() };
      }
      const r = { dataset: ds.name, grid, config: 'MiniSom defaults', ...m };
      results.push(r);
      process.stdout.write(`${JSON.stringify(r)}\n`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const f = (v, k = 3) => (typeof v === 'number' ? v.toFixed(k) : '—');
let md = '| data | grid | defaults | QE | TE | purity | s |\n|---|---|---|---|---|---|---|\n';
for (const r of results) md += `| ${r.dataset} | ${r.grid} | ${r.config} | ${r.error ? `(${r.error})` : f(r.qe)} | ${f(r.te)} | ${f(r.purity)} | ${f(r.seconds, 1)} |\n`;
process.stdout.write(`\n${md}`);
