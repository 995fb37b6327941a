import * as tf from '@tensorflow/tfjs-core';
import type { PreparedDistance } from '@somkit/plugin-api';
import { observedParts } from './observedParts.js';

/**
 * {@link squaredEuclideanPrepared} over observed dimensions only, for samples with NaN at missing
 * cells: `(d / |o|) · Σ_{j∈o} (x_j − w_j)²` with `o` the sample's observed dimensions, computed as
 * `(d / |o|) · max(0, ‖x̃‖² − 2·x̃·wᵀ + M·(w²)ᵀ)` — x̃ the sample with missing cells as 0, M its
 * 0/1 mask: two matrix products, O(n·u) memory. Internal: not part of the public barrel.
 * @param w - codebook [u, d]; not disposed
 * @param sqrt - euclidean (square root in `toDistance`) or sqeuclidean
 */
export function maskedSquaredEuclideanPrepared(w: tf.Tensor2D, sqrt: boolean): PreparedDistance {
  const [wT, w2T] = tf.tidy(() => [tf.keep(tf.transpose(w) as tf.Tensor2D), tf.keep(tf.transpose(tf.square(w)) as tf.Tensor2D)] as const);
  let disposed = false;
  return {
    score: (x) =>
      tf.tidy(() => {
        const { filled, mask, scale } = observedParts(x);
        // [n, 1] Σ_o x², [n, u] Σ_o x·w, [n, u] Σ_o w²
        const xSq = tf.sum(tf.square(filled), 1, true);
        const cross = tf.matMul(filled, wT);
        const wSq = tf.matMul(mask, w2T);
        return tf.mul(tf.relu(tf.add(tf.sub(xSq, tf.mul(cross, 2)), wSq)), scale) as tf.Tensor2D;
      }),
    toDistance: <T extends tf.Tensor>(s: T): T => (sqrt ? tf.sqrt(s) : tf.clone(s)) as T,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      wT.dispose();
      w2T.dispose();
    },
  };
}
