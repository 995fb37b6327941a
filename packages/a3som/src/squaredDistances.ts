import * as tf from '@tensorflow/tfjs-core';

/**
 * Squared Euclidean distances between samples and prototypes (the SOM layer's output, as in
 * DESOM's `SOMLayer`), via `‖x‖² + ‖p‖² − 2·x·pᵀ` clipped at 0. Differentiable w.r.t. both inputs.
 * Tidy-safe; does not dispose its inputs.
 * @param x - samples, shape [n, d]
 * @param p - prototypes, shape [u, d]
 * @returns [n, u] squared distances
 */
export function squaredDistances(x: tf.Tensor2D, p: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const xx = tf.sum(tf.square(x), 1, true); // [n, 1]
    const pp = tf.reshape(tf.sum(tf.square(p), 1), [1, -1]); // [1, u]
    // Transpose once instead of matMul(..., true): much faster on wasm.
    const cross = tf.matMul(x, tf.transpose(p)); // [n, u]
    return tf.relu(tf.sub(tf.add(xx, pp), tf.mul(cross, 2))) as tf.Tensor2D;
  });
}
