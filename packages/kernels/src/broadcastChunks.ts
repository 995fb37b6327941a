import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `perChunk` over row chunks of `x` [n, d] so that each chunk's [c, u, d] broadcast against
 * `w` [u, d] stays within `maxElements` (at least one row per chunk), and concatenates the
 * [c, u] results. Internal helper of the broadcast distances (plain and masked).
 * @param perChunk - gets the chunk [c, d] and the codebook as one slab [1, u, d]
 * @returns [n, u], owned by the caller
 */
export function broadcastChunks(x: tf.Tensor2D, w: tf.Tensor2D, perChunk: (xs: tf.Tensor2D, w3: tf.Tensor3D) => tf.Tensor2D, maxElements: number): tf.Tensor2D {
  const [n, d] = x.shape;
  const u = w.shape[0];
  const rows = Math.max(1, Math.floor(maxElements / Math.max(1, u * d)));
  return tf.tidy(() => {
    const w3 = tf.expandDims(w, 0) as tf.Tensor3D;
    const chunk = (start: number, size: number): tf.Tensor2D => tf.tidy(() => perChunk(start === 0 && size === n ? x : tf.slice(x, [start, 0], [size, d]), w3));
    if (n <= rows) return chunk(0, n);
    const parts: tf.Tensor2D[] = [];
    for (let start = 0; start < n; start += rows) parts.push(chunk(start, Math.min(rows, n - start)));
    return tf.concat(parts, 0);
  });
}
