#!/usr/bin/env node
// Do the clusters of the codebook recover the data's groups? Sample-level ARI (each sample takes
// its BMU's cluster) against the true labels, unweighted (every unit alike, TorchSOM's way) and
// weighted by each unit's hit count (somkit's default when the data is at hand).
//
//   node bench/clustering.mjs [--datasets blobs,iris,wine,digits] [--sweep] [--markdown]
//
// Data: 10 Gaussian blobs, 10,000 × 16 (datasets.py's blobs-v1 recipe: centres uniform in
// [-10, 10], std 1, standardised; JS generator, seed 42), and iris, wine, digits z-scored.
// Maps: batch-map, PCA init, σ = half the grid side, 20 epochs; 20 × 20 for blobs and digits,
// 10 × 10 for iris and wine. Methods: k-means and GMM (full covariance; diagonal on digits,
// whose 64-D full covariances are singular on the codebook) with k = the number of classes, and
// HDBSCAN with no parameters. HDBSCAN's ARI counts noise samples as one more group (strict);
// `covered` is the share of samples whose BMU is in a cluster.
// --sweep: HDBSCAN ARI for minClusterSize = 0.5 %..20 % of the samples × minSamples 1, 2, 3, 5 on the weighted codebook (the measurement
// behind defaultMinClusterSize). One JSON line per result; --markdown prints the table too.
// Needs `pnpm build`.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dist, root, tf } from './common.mjs';
import { blobs, zscore } from './data.mjs';


const { SOM } = await import(dist('core'));
const { loadDataset } = await import(dist('datasets'));
const { logger } = await import(dist('plugin-api'));
const { cluster, hitCounts, adjustedRandIndex } = await import(dist('clustering'));
logger.setLevel('error');
await tf.setBackend('wasm');

const { values: a } = parseArgs({ options: { datasets: { type: 'string', default: 'blobs,iris,wine,digits' }, sweep: { type: 'boolean', default: false }, markdown: { type: 'boolean', default: false }, seeds: { type: 'string', default: '42' }, epochs: { type: 'string', default: '20' } } });
const epochs = Number(a.epochs);




function dataset(name, seed) {
  if (name === 'blobs') return { ...blobs(10_000, 16, 10, seed), n: 10_000, d: 16, classes: 10, grid: 20 };
  const ds = loadDataset(name);
  return { data: zscore(ds.data, ds.n, ds.d), n: ds.n, d: ds.d, target: ds.target, classes: ds.classNames.length, grid: name === 'digits' ? 20 : 10 };
}

const rows = [];
const emit = (o) => {
  rows.push(o);
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

const runs = a.datasets.split(',').flatMap((name) => (name === 'blobs' ? a.seeds.split(',').map((s) => [name, Number(s)]) : [[name, 42]]));
for (const [name, seed] of runs) {
  const ds = dataset(name, seed);
  const x = { data: ds.data, shape: [ds.n, ds.d] };
  const g = ds.grid;
  // σ decays asymptotically (to σ0 / 3), the schedule the table in docs/user-guide/clustering.md was measured with.
  const som = new SOM({ rows: g, cols: g, dims: ds.d, rule: 'batch-map', init: 'pca', sigma: g / 2, sigmaDecay: 'asymptotic_decay', epochs, seed: 1 });
  const t0 = performance.now();
  await som.fit(x);
  const trainS = (performance.now() - t0) / 1000;
  const bmus = await som.identifyBmus(x);
  const hits = hitCounts(bmus, som.units);
  const nonEmpty = hits.filter((h) => h > 0).length;
  const y = Array.from(ds.target);
  const score = (res) => {
    const s = Array.from(bmus, (b) => res.labels[b]);
    return { ari: adjustedRandIndex(y, s), covered: s.filter((l) => l >= 0).length / s.length };
  };
  const covariance = ds.d > 32 ? 'diag' : 'full';
  for (const method of ['kmeans', 'gmm', 'hdbscan']) {
    for (const weighted of [false, true]) {
      const opts = method === 'hdbscan' ? { method } : { method, k: ds.classes, ...(method === 'gmm' ? { covariance } : {}) };
      const res = await cluster(som, weighted ? { ...opts, weights: hits } : opts);
      const { ari, covered } = score(res);
      emit({ dataset: name, ...(name === 'blobs' ? { seed } : {}), n: ds.n, d: ds.d, grid: `${g}x${g}`, nonEmpty, classes: ds.classes, method, weighted, k: res.k, ari: +ari.toFixed(3), covered: +covered.toFixed(3), ...(method === 'gmm' ? { covariance } : {}), train_s: +trainS.toFixed(1) });
    }
  }
  if (a.sweep) {
    const total = ds.n;
    for (const minSamples of [1, 2, 3, 5]) {
      for (const share of [0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2]) {
        const mcs = Math.max(2, Math.round(share * total));
        const res = await cluster(som, { method: 'hdbscan', minClusterSize: mcs, minSamples, weights: hits });
        const { ari, covered } = score(res);
        emit({ dataset: name, ...(name === 'blobs' ? { seed } : {}), sweep: 'hdbscan', nonEmpty, share, minClusterSize: mcs, minSamples, k: res.k, ari: +ari.toFixed(3), covered: +covered.toFixed(3) });
      }
    }
  }
  som.dispose();
}

if (a.markdown) {
  const main = rows.filter((r) => r.sweep === undefined);
  const out = ['| data | map (units with hits) | method | k found | ARI unweighted | ARI weighted | samples in a cluster (weighted) |', '|---|---|---|---|---|---|---|'];
  for (const r of main.filter((r) => r.weighted)) {
    const u = main.find((q) => q.dataset === r.dataset && q.seed === r.seed && q.method === r.method && !q.weighted);
    const m = r.method === 'gmm' ? `gmm (${r.covariance})` : r.method === 'hdbscan' ? 'hdbscan (defaults)' : `kmeans`;
    out.push(`| ${r.dataset}${r.seed === undefined ? '' : ` (seed ${r.seed})`} ${r.n} × ${r.d}, ${r.classes} classes | ${r.grid} (${r.nonEmpty}) | ${m} | ${u.k} → ${r.k} | ${u.ari.toFixed(3)} | ${r.ari.toFixed(3)} | ${r.covered.toFixed(3)} |`);
  }
  process.stdout.write(`\n${out.join('\n')}\n`);
}
