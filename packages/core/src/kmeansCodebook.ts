import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@somkit/geometry';

/** Rows of one assignment block: the [rows, k] score block stays under 4 M floats (16 MiB). */
const BLOCK_FLOATS = 4_194_304;

/**
 * The codebook of `init: 'kmeans'` / `'kmeans_cosine'` (fastsom's `KMeansInitializer`, after
 * kmeans_pytorch): k-means with k = units on the data, the centroids taken as the units' weights
 * in the order k-means leaves them — so the first map is not topologically ordered (fastsom's
 * behaviour; the large early σ orders it). Lloyd's iterations from k distinct data rows drawn with
 * the SOM's seed (`rng`; with fewer rows than units the rest are drawn with replacement), until no
 * assignment changes or `maxIter` passes. `cosine`: samples join the centroid of largest cosine
 * similarity (zero rows tie to the first), centroids stay the plain means of their members, as
 * in kmeans_pytorch. A centroid that loses every member keeps its place. Same data and seed, same
 * codebook. Assignments run on the active tfjs backend in blocks; sums in float64 on the host.
 * Loaded on first use (dynamic import), so a random- or PCA-initialised app never downloads it.
 * @param x - samples [n, d] (not disposed)
 * @param k - units, ≥ 1
 * @returns [k, d] float32 centroids (the caller owns the tensor)
 */
export async function kmeansCodebook(x: tf.Tensor2D, k: number, cosine: boolean, rng: Rng, maxIter = 100): Promise<tf.Tensor2D> {
  const [n, d] = x.shape;
  const host = (await x.data()) as Float32Array;
  const perm = rng.permutation(n);
  const centres = new Float32Array(k * d);
  for (let c = 0; c < k; c++) {
    const row = c < n ? perm[c]! : rng.int(n);
    centres.set(host.subarray(row * d, row * d + d), c * d);
  }
  const xs = cosine ? tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 2, 1, true), 1e-30))) : tf.clone(x);
  const block = Math.max(1, Math.floor(BLOCK_FLOATS / k));
  let assign = new Int32Array(n).fill(-1);
  try {
    for (let iter = 0; iter < maxIter; iter++) {
      const next = new Int32Array(n);
      const ct = tf.tensor2d(centres, [k, d]);
      const side = tf.tidy(() => (cosine ? tf.transpose(tf.div(ct, tf.maximum(tf.norm(ct, 2, 1, true), 1e-30))) : tf.transpose(ct)));
      const norms = cosine ? undefined : tf.tidy(() => tf.sum(tf.square(ct), 1));
      try {
        for (let s = 0; s < n; s += block) {
          const rows = Math.min(block, n - s);
          const idx = tf.tidy(() => {
            const xb = tf.slice(xs, [s, 0], [rows, d]);
            const dot = tf.matMul(xb, side);
            // Euclidean: argmin ‖c‖² − 2x·c (‖x‖² is the same for every centroid); cosine: argmax x̂·ĉ.
            return cosine ? tf.argMax(dot, 1) : tf.argMin(tf.sub(norms!, tf.mul(dot, 2)), 1);
          });
          next.set((await idx.data()) as Int32Array, s);
          idx.dispose();
        }
      } finally {
        tf.dispose([ct, side, ...(norms ? [norms] : [])]);
      }
      if (next.every((v, i) => v === assign[i])) break;
      assign = next;
      const sums = new Float64Array(k * d);
      const counts = new Float64Array(k);
      for (let i = 0; i < n; i++) {
        const c = assign[i]!;
        counts[c] = counts[c]! + 1;
        for (let j = 0; j < d; j++) sums[c * d + j] = sums[c * d + j]! + host[i * d + j]!;
      }
      for (let c = 0; c < k; c++) {
        if (counts[c]! > 0) for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j]! / counts[c]!;
      }
    }
  } finally {
    xs.dispose();
  }
  return tf.tensor2d(centres, [k, d], 'float32');
}
