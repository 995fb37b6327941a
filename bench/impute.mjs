#!/usr/bin/env node
// Imputation quality and the cost of masking.
//
//   node bench/impute.mjs [--datasets wine,digits] [--share 0.2] [--seeds 1,2,3] [--speed]
//
// Quality: cells of wine and digits removed at random (share, per seed; never a whole row),
// features z-scored with the observed values' mean and std (what a user's pipeline sees), then
// RMSE over the removed cells in those units for: the observed column mean, somkit's `impute`
// ('unit' and the default 'blend'), and scikit-learn's KNNImputer(n_neighbors=5) run by Debian's
// python3-sklearn (/usr/bin/python3) on the same matrix. One JSON line per dataset × seed × method.
// Speed (--speed [--epochs E], default 6): samples/s of both rules on 20,000 × 32 blobs, complete and with
// 10 % missing (each run includes its engine's graph compile, so short runs understate the engine).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dist, root, tf } from './common.mjs';
import { mulberry32 } from './data.mjs';

const { SOM } = await import(dist('core'));
const { loadDataset } = await import(dist('datasets'));
const { logger } = await import(dist('plugin-api'));
// The native engine, so engine 'auto' can pick it (complete data) or fall back from it (missing values).
await import(join(root, 'packages', 'engine-onnxruntime', 'dist', 'register.js')).catch(() => undefined);
logger.setLevel('error');
await tf.setBackend('wasm');

const { values: a } = parseArgs({ options: { datasets: { type: 'string', default: 'wine,digits' }, share: { type: 'string', default: '0.2' }, seeds: { type: 'string', default: '1,2,3' }, speed: { type: 'boolean', default: false }, epochs: { type: 'string', default: '6' } } });
const share = Number(a.share);


/** Removes `share` of the cells (never a whole row); z-scores by the observed values. */
function prepare(raw, n, d, seed) {
  const r = mulberry32(seed);
  const holes = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) holes[i * d + j] = r() < share ? 1 : 0;
    if (holes.subarray(i * d, (i + 1) * d).every((h) => h === 1)) holes[i * d + Math.floor(r() * d)] = 0;
  }
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0, c = 0;
    for (let i = 0; i < n; i++) if (!holes[i * d + j]) (s += raw[i * d + j]), c++;
    mean[j] = c ? s / c : 0;
    let v = 0;
    for (let i = 0; i < n; i++) if (!holes[i * d + j]) v += (raw[i * d + j] - mean[j]) ** 2;
    sd[j] = c > 1 && v > 0 ? Math.sqrt(v / c) : 1;
  }
  const truth = Float32Array.from(raw, (v, k) => (v - mean[k % d]) / sd[k % d]);
  const x = Float32Array.from(truth, (v, k) => (holes[k] ? Number.NaN : v));
  return { truth, x, holes };
}

function rmse(filled, truth, holes) {
  let s = 0, c = 0;
  for (let k = 0; k < holes.length; k++) if (holes[k]) (s += (filled[k] - truth[k]) ** 2), c++;
  return Math.sqrt(s / c);
}

function columnMean(x, n, d) {
  const out = new Float32Array(x);
  for (let j = 0; j < d; j++) {
    let s = 0, c = 0;
    for (let i = 0; i < n; i++) if (x[i * d + j] === x[i * d + j]) (s += x[i * d + j]), c++;
    for (let i = 0; i < n; i++) if (out[i * d + j] !== out[i * d + j]) out[i * d + j] = c ? s / c : 0;
  }
  return out;
}

const PY = `
import json, sys, numpy as np, sklearn
from sklearn.impute import KNNImputer
o = json.load(open(sys.argv[1]))
x = np.array([np.nan if v is None else v for v in o['x']], dtype=np.float64).reshape(o['n'], o['d'])
f = KNNImputer(n_neighbors=5).fit_transform(x)
json.dump({'filled': f.ravel().tolist(), 'version': sklearn.__version__}, open(sys.argv[2], 'w'))
`;

function knn5(x, n, d) {
  const dir = mkdtempSync(join(tmpdir(), 'somkit-impute-'));
  try {
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ n, d, x: Array.from(x, (v) => (v === v ? v : null)) }));
    const r = spawnSync('/usr/bin/python3', ['-c', PY, join(dir, 'in.json'), join(dir, 'out.json')], { encoding: 'utf8' });
    if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'python3 failed').trim().split('\n').at(-1) };
    const o = JSON.parse(spawnSync('cat', [join(dir, 'out.json')], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout);
    return { filled: Float32Array.from(o.filled), version: o.version };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Map settings for imputation: about n / 4 units (a finer map than the 5·√n display heuristic:
 * measured better here), square, σ₀ = min(side / 2, 3) ending near 1 (asymptotic decay), batch-map, PCA init.
 */
function mapFor(n) {
  const side = Math.max(2, Math.round(Math.sqrt(n / 4)));
  return { rows: side, cols: side, sigma: Math.min(side / 2, 3), sigmaDecay: 'asymptotic_decay', rule: 'batch-map', init: 'pca', epochs: 30 };
}

for (const name of a.datasets.split(',').filter((s) => s !== '')) {
  const ds = await loadDataset(name);
  const { n, d } = ds;
  for (const seed of a.seeds.split(',').map(Number)) {
    const { truth, x, holes } = prepare(ds.data, n, d, seed);
    const cells = holes.reduce((s, h) => s + h, 0);
    const line = (method, extra) => process.stdout.write(`${JSON.stringify({ bench: 'impute', dataset: name, n, d, share, seed, cells, method, ...extra })}\n`);
    line('column mean', { rmse: +rmse(columnMean(x, n, d), truth, holes).toFixed(4) });
    const settings = mapFor(n);
    const som = new SOM({ dims: d, missing: 'mask', seed, ...settings });
    const t0 = performance.now();
    await som.fit({ data: x, shape: [n, d] });
    const trainSeconds = (performance.now() - t0) / 1000;
    for (const method of ['unit', 'blend']) {
      const t1 = performance.now();
      const f = await som.impute({ data: x, shape: [n, d] }, { method });
      line(`somkit impute ${method}`, { rmse: +rmse(f, truth, holes).toFixed(4), map: `${settings.rows}x${settings.cols}`, sigma: settings.sigma, train_seconds: +trainSeconds.toFixed(2), impute_seconds: +((performance.now() - t1) / 1000).toFixed(2) });
    }
    som.dispose();
    const t2 = performance.now();
    const k = knn5(x, n, d);
    if (k.error) line('sklearn KNNImputer(5)', { error: k.error });
    else line('sklearn KNNImputer(5)', { rmse: +rmse(k.filled, truth, holes).toFixed(4), sklearn: k.version, seconds: +((performance.now() - t2) / 1000).toFixed(2) });
  }
}

if (a.speed) {
  const n = 20000, d = 32;
  const r = mulberry32(5);
  const centers = Array.from({ length: 10 }, () => Array.from({ length: d }, () => (r() - 0.5) * 20));
  const full = Float32Array.from({ length: n * d }, (_, k) => centers[Math.floor(k / d) % 10][k % d] + (r() - 0.5));
  const holed = Float32Array.from(full, (v) => (r() < 0.1 ? Number.NaN : v));
  for (const rule of ['minibatch', 'batch-map']) {
    for (const [label, data] of [['complete', full], ['10 % missing', holed]]) {
      for (const engine of ['tfjs', 'auto']) {
        const epochs = Number(a.epochs);
        const som = new SOM({ rows: 20, cols: 20, dims: d, rule, epochs, batchSize: 256, sigma: 5, sigmaDecay: 'asymptotic_decay', missing: 'mask', engine });
        await som.initialize({ data: full, shape: [n, d] });
        const t0 = performance.now();
        await som.fit({ data, shape: [n, d] });
        const s = (performance.now() - t0) / 1000;
        process.stdout.write(`${JSON.stringify({ bench: 'masking cost', rule, data: label, engine: som.engineChoice?.name ?? engine, masked_kernels: label === 'complete' ? 'none needed' : som.engineChoice?.name ?? engine, n, d, units: 400, epochs, batch: 256, train_seconds: +s.toFixed(3), samples_per_second: Math.round((n * epochs) / s) })}\n`);
        som.dispose();
      }
    }
  }
}
