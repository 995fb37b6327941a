// Worker thread of @somkit/parallel: a private tfjs wasm (or cpu) backend that answers
// { id, op: 'bmu' | 'sums' | 'product', ... } messages over plain typed arrays (the engine
// kernels' parts, see parallelKernels.ts). Plain JS so it runs from sources and from dist alike.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';

const backend = workerData?.backend ?? 'wasm';
if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
else await import('@tensorflow/tfjs-backend-cpu');
await tf.setBackend(backend);
await tf.ready();

/** Largest [rows, u] block of gathered kernel rows one product matmul takes (16 MiB of float32). */
const BLOCK_ELEMENTS = 4_194_304;

/**
 * k best units of x [n, d] against w [u, d] under (squared) euclidean distance: the clipped
 * surrogate ‖x‖² − 2x·w + ‖w‖², then k masked argmins (ties: the lower unit). Row by row, so a row's
 * result does not depend on the other rows sent with it.
 */
async function bmu({ x, n, d, w, u, k, metric }) {
  const [idx, dst] = tf.tidy(() => {
    const xt = tf.tensor2d(x, [n, d]);
    const wt = tf.tensor2d(w, [u, d]);
    // Pre-transposed codebook: wasm's matMul with transposeB is 7-12x slower.
    const wT = tf.transpose(wt);
    const wSq = tf.reshape(tf.sum(tf.square(wt), 1), [1, u]);
    const xSq = tf.sum(tf.square(xt), 1, true);
    let s = tf.relu(tf.add(tf.sub(wSq, tf.mul(2, tf.matMul(xt, wT))), xSq));
    const idxs = [];
    const vals = [];
    for (let j = 0; j < k; j++) {
      const i = tf.argMin(s, 1);
      idxs.push(i);
      vals.push(tf.min(s, 1));
      if (j + 1 < k) s = tf.where(tf.cast(tf.oneHot(i, u), 'bool'), tf.fill(s.shape, Infinity), s);
    }
    let dist = tf.stack(vals, 1);
    if (metric === 'euclidean') dist = tf.sqrt(dist);
    return [tf.cast(tf.stack(idxs, 1), 'int32'), dist];
  });
  const [indices, distances] = await Promise.all([idx.data(), dst.data()]);
  tf.dispose([idx, dst]);
  return { indices, distances };
}

/**
 * This part's per-neuron sums [u, d + 1] (Σ x per BMU, then the count), accumulated in float64 in
 * row order; the BMUs are `given` ([n, k], first column) or searched.
 */
async function sums(msg) {
  const { x, n, d, u, k, given } = msg;
  const found = given === undefined ? await bmu(msg) : undefined;
  const bmus = given ?? found.indices;
  const out = new Float64Array(u * (d + 1));
  for (let i = 0; i < n; i++) {
    const at = bmus[i * k] * (d + 1);
    for (let t = 0; t < d; t++) out[at + t] += x[i * d + t];
    out[at + d] += 1;
  }
  return found === undefined ? { sums: out } : { indices: found.indices, distances: found.distances, sums: out };
}

/** Rows a0 … a1 − 1 of G·m, G[a, b] = values[base[a] + offset[b]], gathered in blocks of rows. */
async function product({ values, base, offset, a0, a1, m, u, c }) {
  const rows = a1 - a0;
  const out = new Float32Array(rows * c);
  const mt = tf.tensor2d(m, [u, c]);
  const block = Math.max(1, Math.floor(BLOCK_ELEMENTS / u));
  try {
    for (let r0 = 0; r0 < rows; r0 += block) {
      const r1 = Math.min(rows, r0 + block);
      const g = new Float32Array((r1 - r0) * u);
      for (let r = r0; r < r1; r++) {
        const b0 = base[a0 + r];
        const at = (r - r0) * u;
        for (let j = 0; j < u; j++) g[at + j] = values[b0 + offset[j]];
      }
      const t = tf.tidy(() => tf.matMul(tf.tensor2d(g, [r1 - r0, u]), mt));
      out.set(await t.data(), r0 * c);
      t.dispose();
    }
  } finally {
    mt.dispose();
  }
  return { out };
}

const OPS = { bmu, sums, product };

parentPort.on('message', async (msg) => {
  try {
    const op = OPS[msg.op];
    if (op === undefined) throw new Error(`unknown op '${msg.op}'`);
    const result = await op(msg);
    const transfer = Object.values(result).map((v) => v.buffer);
    parentPort.postMessage({ id: msg.id, ok: true, ...result }, transfer);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
parentPort.postMessage({ ready: true, backend: tf.getBackend() });
