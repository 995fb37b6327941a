// Named imports: a bundler can then keep these ops in this lazily loaded chunk.
import { add as tf_add, clone as tf_clone, keep as tf_keep, matMul as tf_matMul, mul as tf_mul, relu as tf_relu, sqrt as tf_sqrt, square as tf_square, sub as tf_sub, sum as tf_sum, tidy as tf_tidy, transpose as tf_transpose, type Tensor, type Tensor2D } from '@tensorflow/tfjs-core';
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
export function maskedSquaredEuclideanPrepared(w: Tensor2D, sqrt: boolean): PreparedDistance {
  const [wT, w2T] = tf_tidy(() => [tf_keep(tf_transpose(w) as Tensor2D), tf_keep(tf_transpose(tf_square(w)) as Tensor2D)] as const);
  let disposed = false;
  return {
    score: (x) =>
      tf_tidy(() => {
        const { filled, mask, scale } = observedParts(x);
        // [n, 1] Σ_o x², [n, u] Σ_o x·w, [n, u] Σ_o w²
        const xSq = tf_sum(tf_square(filled), 1, true);
        const cross = tf_matMul(filled, wT);
        const wSq = tf_matMul(mask, w2T);
        return tf_mul(tf_relu(tf_add(tf_sub(xSq, tf_mul(cross, 2)), wSq)), scale) as Tensor2D;
      }),
    toDistance: <T extends Tensor>(s: T): T => (sqrt ? tf_sqrt(s) : tf_clone(s)) as T,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      wT.dispose();
      w2T.dispose();
    },
  };
}
