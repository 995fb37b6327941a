import * as tf from '@tensorflow/tfjs-core';

/**
 * Neighbourhood weights of the SOM distortion, `w_k = exp(−δ(k, bmu)² / T²)` with δ the plane
 * distance on the grid (`@somkit/core` `Grid`), DESOM's Gaussian without the factor 2. The result
 * is used as a constant (stop-gradient): compute it outside the gradient closure.
 * @param d - squared distances, shape [n, u]
 * @param gridDist2 - squared plane distance between units, shape [u, u]
 * @param T - temperature (grid units)
 * @returns [n, u] weights, 1 at each sample's BMU
 */
export function neighborhoodWeights(d: tf.Tensor2D, gridDist2: tf.Tensor2D, T: number): tf.Tensor2D {
  return tf.tidy(() => {
    const bmu = tf.argMin(d, 1); // [n]
    return tf.exp(tf.mul(tf.gather(gridDist2, bmu), -1 / (T * T))) as tf.Tensor2D;
  });
}
