// A3SOM evaluation on wine and digits (run with `pnpm --filter @somkit/a3som eval`).
// Imports the BUILT package (../dist) and the built workspace deps; backend: wasm.
//
// Protocol (per dataset): stratified 5-fold CV on both datasets (epochs chosen for the
// ~10 min budget on 2 cores: wine 60, digits 20). Per fold, standardise with the training fold's mean/std, then:
//  - accuracy at label fractions 100/50/20/10/5 % (stratified subsample of training rows keep
//    their labels, the rest are unlabelled and train the SOM term only);
//  - a plain MLP (same dense block on the standardised input, no SOM) at 100 % labels;
//  - at 10 % and 5 %: the same A3SOM trained on the labelled rows only, for the same number of
//    gradient steps (the semi-supervised gain);
//  - novelty: class (fold mod C) removed from the training fold entirely; on the test fold, the
//    share of that unseen class flagged 'novel' vs the share of seen-class rows abstained.
// Env: EVAL_DATASETS=wine,digits  EVAL_FOLDS=<n> (cap folds for both)  EVAL_QUICK=1 (tiny run)
//      EVAL_SOM_OUTPUT=gaussian|distances (default gaussian, the model's)  EVAL_ACT=<act on the SOM output> (default none).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { wine, digits } from '@somkit/datasets';
import { Rng } from '@somkit/geometry';
import { A3SOM } from '../dist/index.js';

const QUICK = process.env.EVAL_QUICK === '1';
const DATASETS = (process.env.EVAL_DATASETS ?? 'wine,digits').split(',');
const FRACTIONS = [1, 0.5, 0.2, 0.1, 0.05];

/** Per-dataset settings (chosen for the ~10 min / 2-core budget, same for A3SOM and the MLP). */
const SETTINGS = {
  wine: { load: wine, folds: 5, epochs: QUICK ? 5 : 60, batchSize: 32 },
  digits: { load: digits, folds: 5, epochs: QUICK ? 2 : 20, batchSize: 64 },
};
// `act` acts on the SOM layer's output (the API doc); the hidden layers' ReLU is `hiddenAct`.
// Before 0.2 the same model was { act: 'relu' } with the Gaussian SOM output (somOutput 'gaussian').
const MODEL = { n: 8, nHidden: 3, somOutput: process.env.EVAL_SOM_OUTPUT ?? 'gaussian', act: process.env.EVAL_ACT ?? 'none', hiddenAct: 'relu', seed: 7 };
const COMPILE = { learningRates: { som: 0.01, dense: 0.005 }, lossWeights: { gamma: 0.6, eta: 0.0001 } };

function stratifiedFolds(target, k, seed) {
  const rng = new Rng(seed);
  const fold = new Int32Array(target.length);
  const byClass = new Map();
  target.forEach((c, i) => byClass.set(c, [...(byClass.get(c) ?? []), i]));
  for (const idx of byClass.values()) {
    const p = rng.permutation(idx.length);
    p.forEach((j, r) => (fold[idx[j]] = r % k));
  }
  return fold;
}

/** Stratified subset of `rows` keeping `frac` of each class (≥ 1 per class). */
function labelledSubset(rows, target, frac, seed) {
  if (frac >= 1) return new Set(rows);
  const rng = new Rng(seed);
  const byClass = new Map();
  for (const i of rows) byClass.set(target[i], [...(byClass.get(target[i]) ?? []), i]);
  const keep = new Set();
  for (const idx of byClass.values()) {
    const p = rng.permutation(idx.length);
    const m = Math.max(1, Math.round(frac * idx.length));
    for (let j = 0; j < m; j++) keep.add(idx[p[j]]);
  }
  return keep;
}

function standardise(data, d, trainRows, rows) {
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (const i of trainRows) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / trainRows.length;
  for (const i of trainRows) for (let j = 0; j < d; j++) sd[j] += (data[i * d + j] - mean[j]) ** 2 / trainRows.length;
  const out = new Float32Array(rows.length * d);
  rows.forEach((i, r) => {
    for (let j = 0; j < d; j++) out[r * d + j] = (data[i * d + j] - mean[j]) / (Math.sqrt(sd[j]) || 1);
  });
  return { data: out, shape: [rows.length, d] };
}

function argmaxAccuracy(probs, C, truth) {
  let ok = 0;
  truth.forEach((t, i) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c] > probs[i * C + best]) best = c;
    if (best === t) ok++;
  });
  return ok / truth.length;
}

async function trainA3som(d, C, x, y, epochs, batchSize, extra = {}) {
  const model = new A3SOM({ inputDim: d, nClasses: C, ...MODEL, ...extra });
  model.compile(COMPILE);
  await model.fit(x, y, { epochs, batchSize, verbose: 0 });
  return model;
}

/** The MLP baseline: the same dense block (nHidden × Dense(hiddenUnits, act) + Dense(C) softmax) on the raw standardised input, Adam(lr dense), CE + eta·L2. */
async function mlpAccuracy(d, C, x, y, xt, yt, epochs, batchSize) {
  const units = Math.max(32, 2 * C);
  const reg = tfl.regularizers.l2({ l2: COMPILE.lossWeights.eta });
  const m = tfl.sequential();
  for (let i = 0; i < MODEL.nHidden; i++) {
    m.add(tfl.layers.dense({ units, activation: MODEL.hiddenAct, kernelRegularizer: reg, kernelInitializer: tfl.initializers.glorotUniform({ seed: MODEL.seed + 101 * (i + 1) }), ...(i === 0 ? { inputShape: [d] } : {}) }));
  }
  m.add(tfl.layers.dense({ units: C, activation: 'softmax', kernelRegularizer: reg, kernelInitializer: tfl.initializers.glorotUniform({ seed: MODEL.seed + 101 * (MODEL.nHidden + 1) }) }));
  m.compile({ optimizer: tf.train.adam(COMPILE.learningRates.dense), loss: 'categoricalCrossentropy' });
  const xs = tf.tensor2d(x.data, x.shape);
  const ys = tf.oneHot(tf.tensor1d(y, 'int32'), C);
  // Shuffled every epoch as Keras' shuffle: true, but by a seeded Rng (tfjs-layers shuffles with
  // Math.random), so the baseline is the same run to run.
  const rng = new Rng(MODEL.seed + 7);
  for (let e = 0; e < epochs; e++) {
    const order = tf.tensor1d(rng.permutation(x.shape[0]), 'int32');
    const [xe, ye] = [tf.gather(xs, order), tf.gather(ys, order)];
    await m.fit(xe, ye, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
    tf.dispose([order, xe, ye]);
  }
  const xts = tf.tensor2d(xt.data, xt.shape);
  const p = m.predict(xts);
  const probs = await p.data();
  tf.dispose([xs, ys, xts, p]);
  m.dispose();
  return argmaxAccuracy(probs, C, yt);
}

const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const sd = (a) => Math.sqrt(a.reduce((s, v) => s + (v - mean(a)) ** 2, 0) / Math.max(1, a.length - 1));
const pct = (a) => `${(100 * mean(a)).toFixed(1)} ± ${(100 * sd(a)).toFixed(1)}`;

async function evaluate(name) {
  const S = SETTINGS[name];
  const ds = S.load();
  const { n, d, data, target } = ds;
  const C = ds.classNames.length;
  const K = 5;
  const folds = stratifiedFolds(target, K, 2024);
  const nFolds = Math.min(S.folds, Number(process.env.EVAL_FOLDS ?? K));
  const r = { a3som: new Map(FRACTIONS.map((f) => [f, []])), mlp: [], labelledOnly: new Map([[0.1, []], [0.05, []]]), novel: { global: { unseen: [], seenAbst: [], seenNovel: [] }, local: { unseen: [], seenAbst: [], seenNovel: [] } } };
  const t0 = Date.now();
  for (let f = 0; f < nFolds; f++) {
    const trainRows = [];
    const testRows = [];
    for (let i = 0; i < n; i++) (folds[i] === f ? testRows : trainRows).push(i);
    const x = standardise(data, d, trainRows, trainRows);
    const xt = standardise(data, d, trainRows, testRows);
    const yt = testRows.map((i) => target[i]);
    const stepsAll = Math.ceil(trainRows.length / S.batchSize);
    for (const frac of FRACTIONS) {
      const keep = labelledSubset(trainRows, target, frac, 100 + f);
      const y = trainRows.map((i) => (keep.has(i) ? target[i] : -1));
      const model = await trainA3som(d, C, x, y, S.epochs, S.batchSize);
      r.a3som.get(frac).push(argmaxAccuracy((await model.predict(xt)).data, C, yt));
      model.dispose();
      if (r.labelledOnly.has(frac)) {
        const rows = trainRows.filter((i) => keep.has(i));
        const xl = standardise(data, d, trainRows, rows);
        const epochs = Math.max(1, Math.round((S.epochs * stepsAll) / Math.ceil(rows.length / S.batchSize)));
        const lo = await trainA3som(d, C, xl, rows.map((i) => target[i]), epochs, S.batchSize);
        r.labelledOnly.get(frac).push(argmaxAccuracy((await lo.predict(xt)).data, C, yt));
        lo.dispose();
      }
    }
    r.mlp.push(await mlpAccuracy(d, C, x, trainRows.map((i) => target[i]), xt, yt, S.epochs, S.batchSize));
    // Novelty: hold class h out of training entirely.
    const h = f % C;
    const seenRows = trainRows.filter((i) => target[i] !== h);
    const xs = standardise(data, d, seenRows, seenRows);
    const xts = standardise(data, d, seenRows, testRows);
    const nov = await trainA3som(d, C, xs, seenRows.map((i) => target[i]), S.epochs, S.batchSize, { abstained: true });
    for (const mode of ['global', 'local']) {
      nov.setAbstention({ distance: { mode }, ambiguity: { mode } });
      const { reasons } = await nov.classify(xts);
      let u = 0, uN = 0, s = 0, sA = 0, sN = 0;
      yt.forEach((t, i) => {
        if (t === h) {
          u++;
          if (reasons[i] === 'novel') uN++;
        } else {
          s++;
          if (reasons[i] !== null) sA++;
          if (reasons[i] === 'novel') sN++;
        }
      });
      r.novel[mode].unseen.push(uN / u);
      r.novel[mode].seenAbst.push(sA / s);
      r.novel[mode].seenNovel.push(sN / s);
    }
    nov.dispose();
    process.stdout.write(`  ${name}: fold ${f + 1}/${nFolds} done (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  return { name, n, d, C, nFolds, S, r, seconds: (Date.now() - t0) / 1000 };
}

async function main() {
  await tf.setBackend('wasm');
  await tf.ready();
  const started = Date.now();
  const results = [];
  for (const name of DATASETS) results.push(await evaluate(name));
  const lines = [];
  lines.push(`backend: ${tf.getBackend()}; model: n=${MODEL.n} (8×8), nHidden=${MODEL.nHidden}, somOutput=${MODEL.somOutput}, act=${MODEL.act}, hiddenAct=${MODEL.hiddenAct}, lr som/dense = ${COMPILE.learningRates.som}/${COMPILE.learningRates.dense}, gamma=${COMPILE.lossWeights.gamma}, eta=${COMPILE.lossWeights.eta}`);
  lines.push('');
  lines.push('| dataset | folds | epochs | labels | A3SOM acc % | MLP acc % | labelled-only acc % | semi-sup. gain (pts) |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const { name, nFolds, S, r } of results) {
    for (const frac of FRACTIONS) {
      const a = r.a3som.get(frac);
      const lo = r.labelledOnly.get(frac);
      const gain = lo === undefined ? '' : (100 * (mean(a) - mean(lo))).toFixed(1);
      lines.push(`| ${name} | ${nFolds}/5 | ${S.epochs} | ${frac * 100} % | ${pct(a)} | ${frac === 1 ? pct(r.mlp) : ''} | ${lo === undefined ? '' : pct(lo)} | ${gain} |`);
    }
  }
  lines.push('');
  lines.push('| dataset | thresholds | unseen class flagged novel % | seen classes abstained % (novel + ambiguous) | seen classes flagged novel % |');
  lines.push('|---|---|---|---|---|');
  for (const { name, r } of results) {
    for (const mode of ['global', 'local']) {
      const v = r.novel[mode];
      lines.push(`| ${name} | ${mode} | ${pct(v.unseen)} | ${pct(v.seenAbst)} | ${pct(v.seenNovel)} |`);
    }
  }
  lines.push('');
  lines.push(`time: ${results.map((x) => `${x.name} ${x.seconds.toFixed(0)} s`).join(', ')}; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
