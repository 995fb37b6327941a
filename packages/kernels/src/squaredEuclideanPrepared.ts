import * as tf from '@tensorflow/tfjs-core';
import type { PreparedDistance } from '@somkit/plugin-api';

/**
 * Prepares a codebook for the expansion ‖x − w‖² = ‖x‖² − 2·x·wᵀ + ‖w‖², shared by `euclidean`
 * and `sqeuclidean`. Internal: not part of the public barrel.
 *
 * The codebook is transposed once to wT [d, u], so every score is a plain `matMul(x, wT)`; on the
 * wasm backend `matMul(x, w, false, true)` is 7–12x slower than a pre-transposed operand.
 *
 * The expansion loses precision when two vectors nearly coincide: the squared distance carries an
 * absolute rounding error of about ε·‖x‖² (ε ≈ 1.2e-7 in float32), clipped at 0 so it is never
 * negative.
 *
 * @param w - codebook, shape [u, d]; not disposed
 * @param sqrt - whether `toDistance` takes the square root (euclidean) or copies (sqeuclidean)
 * @returns a preparation whose `score(x)` is the clipped squared distance [n, u]
 */
export function squaredEuclideanPrepared(w: tf.Tensor2D, sqrt: boolean): PreparedDistance {
  // Codebook side, computed once and kept alive past any enclosing tidy until dispose().
  const [wT, wSq] = tf.tidy(() => {
    // [d, u]: the layout matMul wants for the right operand.
    const t = tf.transpose(w) as tf.Tensor2D;
    // [1, u]: squared norms of the units, as a row to broadcast over samples.
    const sq = tf.reshape(tf.sum(tf.square(w), 1), [1, -1]) as tf.Tensor2D;
    return [tf.keep(t), tf.keep(sq)] as const;
  });
  let disposed = false;
  return {
    score: (x) =>
      tf.tidy(() => {
        // [n, 1]: squared norms of the samples.
        const xSq = tf.sum(tf.square(x), 1, true);
        // [n, u]: inner products with every unit.
        const cross = tf.matMul(x, wT);
        // ‖x‖² − 2·x·wᵀ + ‖w‖², clipped at 0 against rounding.
        return tf.relu(tf.add(tf.sub(xSq, tf.mul(cross, 2)), wSq)) as tf.Tensor2D;
      }),
    toDistance: <T extends tf.Tensor>(s: T): T => (sqrt ? tf.sqrt(s) : tf.clone(s)) as T,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      wT.dispose();
      wSq.dispose();
    },
  };
}
