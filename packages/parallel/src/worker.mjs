// Worker thread of @somkit/parallel: a private tfjs wasm (or cpu) backend that answers
// { id, op: 'search' | 'product', ... } messages over plain Float32Arrays. Plain JS so it runs
// from sources and from dist alike.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';

const backend = workerData?.backend ?? 'wasm';
if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
else await import('@tensorflow/tfjs-backend-cpu');
await tf.setBackend(backend);
await tf.ready();

async function search({ x, n, d, w, u, k, metric }) {
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

async function product({ a, m, k, b, n }) {
  const t = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])));
  const out = await t.data();
  t.dispose();
  return { out };
}

parentPort.on('message', async (msg) => {
  try {
    const result = msg.op === 'search' ? await search(msg) : await product(msg);
    const transfer = Object.values(result).map((v) => v.buffer);
    parentPort.postMessage({ id: msg.id, ok: true, ...result }, transfer);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
parentPort.postMessage({ ready: true, backend: tf.getBackend() });
