import * as tf from '@tensorflow/tfjs-core';

/**
 * SOM distortion (Kohonen loss), `L_SOM = mean_x Σ_k w_k(x) · d_k(x)`, as DESOM's `som_loss`.
 * Computed on every sample, labelled or not.
 * @param d - squared distances, shape [n, u]
 * @param w - neighbourhood weights (constants), shape [n, u]
 * @returns scalar
 */
export function somLoss(d: tf.Tensor2D, w: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sum(tf.mul(w, d), 1)) as tf.Scalar);
}
