#!/usr/bin/env node
// Approximate BMU search (@somkit/search-usearch) against the exact searches, on built packages
// (`pnpm build` first; the onnxruntime engine is skipped, with a note on stderr, when it cannot load).
// Prints one JSON line per run:
//   mode 'transform': a fixed, trained codebook and many samples (identifyBmus-like, k = 1):
//     build_seconds (index build; 0 for exact engines), search_seconds, samples_per_second
//     (n / (build + search)), search_samples_per_second (n / search), recall_at_1 (usearch only:
//     fraction of samples whose approximate BMU is an exact BMU — equal distances in float64
//     count as hits — with recall_at_1_same_index the plain index agreement) and qe_excess (the
//     samples' mean distance to the returned unit over their mean distance to the exact BMU, − 1).
//   mode 'train': batch-map from the same random init, the index rebuilt every epoch:
//     train_seconds, samples_per_second (n·epochs / train_seconds), build_seconds and builds
//     (usearch), qe = exact QE of the final codebook (not timed), qe_vs_exact (relative to the
//     map trained with the exact engine).
// The codebook for 'transform' is trained first (batch-map, --init-epochs, with the fastest
// exact engine available), so the index sees a real SOM codebook, not random points.
//
//   node bench/ann.mjs [--data FILE.npy | --n 20000 --d 64 --centers 10] [--grids 32,64,100] [--queries 20000]
//     [--modes transform,train] [--engines brute-force,onnxruntime,usearch] [--epochs 2]
//     [--init-epochs 3 (0: the random initial codebook)] [--backend wasm] [--connectivity 16] [--expansion-add 128]
//     [--expansion-search 64[,32,…]] [--threads 1[,2]]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { SOM } from '../packages/core/dist/index.js';
import { readDataFile } from '../packages/datasets/dist/node.js';
import { useBackend } from '../packages/runtime/dist/node.js';
import { bruteForce } from '../packages/search/dist/index.js';
import { euclidean } from '../packages/kernels/dist/index.js';
import { usearchSearch } from '../packages/search-usearch/dist/index.js';
import { blobs } from './data.mjs';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    n: { type: 'string', default: '20000' },
    d: { type: 'string', default: '64' },
    centers: { type: 'string', default: '10' },
    grids: { type: 'string', default: '32,64,100' },
    queries: { type: 'string', default: '20000' },
    modes: { type: 'string', default: 'transform,train' },
    engines: { type: 'string', default: 'brute-force,onnxruntime,usearch' },
    epochs: { type: 'string', default: '2' },
    'init-epochs': { type: 'string', default: '3' },
    backend: { type: 'string', default: 'wasm' },
    connectivity: { type: 'string', default: '16' },
    'expansion-add': { type: 'string', default: '128' },
    'expansion-search': { type: 'string', default: '64' },
    threads: { type: 'string', default: '1' },
  },
});
const list = (s) => s.split(',').map((v) => v.trim()).filter(Boolean);
const nums = (s) => list(s).map(Number);


const choice = await useBackend(values.backend);
let data;
let n;
let d;
if (values.data) {
  ({ data, n, d } = await readDataFile(values.data));
} else {
  [n, d] = [Number(values.n), Number(values.d)];
  data = blobs(n, d, Number(values.centers)).data;
}
const X = tf.tensor2d(data, [n, d]);
const q = Math.min(n, Number(values.queries));
const Q = q === n ? X : tf.slice(X, [0, 0], [q, d]);
const epochs = Number(values.epochs);
const initEpochs = Number(values['init-epochs']);
const modes = list(values.modes);

// Engines: the exact onnxruntime engine only when its package is built and onnxruntime-node loads.
let onnxEngine;
if (list(values.engines).includes('onnxruntime')) {
  try {
    ({ onnxEngine } = await import('../packages/engine-onnxruntime/dist/index.js'));
    const ready = await onnxEngine().ready();
    if (ready !== true) throw new Error(ready);
  } catch (e) {
    process.stderr.write(`onnxruntime engine skipped: ${String(e?.message ?? e).split('\n')[0]}\n`);
    onnxEngine = undefined;
  }
}
const exactEngines = list(values.engines).filter((e) => e === 'brute-force' || (e === 'onnxruntime' && onnxEngine));
// An exact search: the brute-force strategy on tfjs, or the ONNX engine's bmu kernel.
const makeExact = (name) => (name === 'onnxruntime' ? onnxEngine() : bruteForce());
/** SOM options that train with an exact search on the named engine. */
const exactTraining = (name) => ({ search: 'brute-force', engine: name === 'onnxruntime' ? onnxEngine() : 'tfjs' });
const fastestExact = exactEngines.includes('onnxruntime') ? 'onnxruntime' : 'brute-force';
const annConfigs = list(values.engines).includes('usearch')
  ? nums(values['expansion-search']).flatMap((expansionSearch) =>
      nums(values.threads).map((threads) => ({
        connectivity: Number(values.connectivity),
        expansionAdd: Number(values['expansion-add']),
        expansionSearch,
        threads,
        minUnits: 0,
      })),
    )
  : [];

const distance = euclidean();
const base = { library: 'somkit', backend: choice.backend, d, init_epochs: initEpochs, data: values.data ?? `blobs n=${n} d=${d} centers=${values.centers} (JS)` };
const print = (o) => process.stdout.write(`${JSON.stringify({ ...base, ...o })}\n`);
const round = (v, p = 4) => +v.toFixed(p);

const sessions = new Map();
async function run(engine, x, w, k, ctx) {
  if (engine.kind === 'engine') {
    const key = `${ctx.units}x${ctx.dims}`;
    if (!sessions.has(key)) sessions.set(key, await engine.open(ctx));
    const [xs, ws] = await Promise.all([x.data(), w.data()]);
    return sessions.get(key).kernels.bmu({ x: xs, weights: ws, samples: x.shape[0], units: w.shape[0], dims: x.shape[1], k });
  }
  const r = engine.searchAsync ? await engine.searchAsync(x, w, k, ctx) : engine.search(x, w, k, ctx);
  const out = { indices: await r.indices.data(), distances: await r.distances.data() };
  tf.dispose([r.indices, r.distances]);
  return out;
}

/** Squared distance of sample i to unit u, in float64. */
function dist2(xs, ws, i, u) {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = xs[i * d + j] - ws[u * d + j];
    s += t * t;
  }
  return s;
}

// Warm-up: wasm kernels, the ORT sessions, the usearch module.
{
  const w = tf.slice(X, [0, 0], [64, d]);
  const x = tf.slice(X, [0, 0], [256, d]);
  const ctx = { backend: choice.backend, distance, units: 64, dims: d };
  for (const name of exactEngines) await run(makeExact(name), x, w, 2, ctx);
  if (annConfigs.length > 0) await run(usearchSearch({ minUnits: 0, rebuildRatio: 0 }), x, w, 2, ctx);
  tf.dispose([w, x]);
}

for (const grid of nums(values.grids)) {
  const units = grid * grid;
  const ctx = { backend: choice.backend, distance, units, dims: d };
  const somOptions = { rows: grid, cols: grid, dims: d, rule: 'batch-map', sigma: grid / 2, init: 'random', seed: 42 };

  if (modes.includes('transform')) {
    // A trained codebook (not timed); --init-epochs 0: the random initial one (data rows).
    const som = new SOM({ ...somOptions, epochs: Math.max(1, initEpochs), ...exactTraining(fastestExact) });
    if (initEpochs > 0) await som.fit(X);
    else await som.initialize(X);
    const ws = som.getWeights();
    som.dispose();
    const W = tf.tensor2d(ws, [units, d]);
    const xs = await Q.data();
    let truth;
    for (const name of exactEngines) {
      const t0 = performance.now();
      const r = await run(makeExact(name), Q, W, 1, ctx);
      const search = (performance.now() - t0) / 1000;
      truth ??= r;
      print({ mode: 'transform', engine: name, n: q, units, grid, k: 1, build_seconds: 0, search_seconds: round(search), samples_per_second: Math.round(q / search), search_samples_per_second: Math.round(q / search) });
    }
    truth ??= await run(bruteForce(), Q, W, 1, ctx);
    for (const options of annConfigs) {
      const engine = usearchSearch(options);
      let t0 = performance.now();
      await engine.rebuild(W);
      const build = (performance.now() - t0) / 1000;
      t0 = performance.now();
      const r = await run(engine, Q, W, 1, ctx);
      const search = (performance.now() - t0) / 1000;
      let same = 0;
      let hits = 0;
      let sumApprox = 0;
      let sumExact = 0;
      for (let i = 0; i < q; i++) {
        const exact = Math.sqrt(dist2(xs, ws, i, truth.indices[i]));
        sumExact += exact;
        if (r.indices[i] === truth.indices[i]) {
          same++;
          hits++;
          sumApprox += exact;
        } else {
          const approx = Math.sqrt(dist2(xs, ws, i, r.indices[i]));
          sumApprox += approx;
          if (approx <= exact * (1 + 1e-9)) hits++;
        }
      }
      print({
        mode: 'transform', engine: 'usearch', options, n: q, units, grid, k: 1,
        recall_at_1: round(hits / q, 5), recall_at_1_same_index: round(same / q, 5), qe_excess: round(sumApprox / sumExact - 1, 6),
        build_seconds: round(build), search_seconds: round(search),
        samples_per_second: Math.round(q / (build + search)), search_samples_per_second: Math.round(q / search),
      });
    }
    W.dispose();
  }

  if (modes.includes('train')) {
    let exactQe;
    // usearch (the strategy) trains with the fastest exact engine doing the sums and products.
    const runs = [...exactEngines.map((name) => ({ name, setup: () => exactTraining(name) })), ...annConfigs.map((options) => ({ name: 'usearch', options, setup: () => ({ search: usearchSearch(options), engine: exactTraining(fastestExact).engine }) }))];
    for (const { name, options, setup } of runs) {
      const st = setup();
      const e = st.search;
      const som = new SOM({ ...somOptions, epochs, ...st });
      const t0 = performance.now();
      await som.fit(X);
      const seconds = (performance.now() - t0) / 1000;
      // Exact QE of the final codebook, with the fastest exact engine (not timed).
      const check = new SOM({ ...somOptions, ...exactTraining(fastestExact) });
      await check.setWeights({ data: som.getWeights(), shape: [units, d] });
      const qe = await check.quantizationError(X);
      check.dispose();
      som.dispose();
      exactQe ??= qe;
      const stats = typeof e === 'object' ? e.stats?.() : undefined;
      print({
        mode: 'train', rule: 'batch-map', engine: name, ...(options ? { options } : {}), n, units, grid, epochs,
        train_seconds: round(seconds, 3), samples_per_second: Math.round((n * epochs) / seconds),
        ...(stats ? { builds: stats.builds, build_seconds: round(stats.buildSeconds, 3) } : {}),
        qe: round(qe, 5), qe_vs_exact: round(qe / exactQe - 1, 5),
        peak_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
      });
    }
  }
}
if (Q !== X) Q.dispose();
X.dispose();
