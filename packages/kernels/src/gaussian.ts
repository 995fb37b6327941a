import * as tf from '@tensorflow/tfjs-core';
import { defineNeighborhood } from '@somkit/plugin-api';

/**
 * Gaussian neighbourhood exp(−d²/(2σ²)), registry name `'gaussian'`. Never negative; 1 at the BMU;
 * separable (exp(−(a + b)/2σ²) = exp(−a/2σ²)·exp(−b/2σ²)), so batch-map applies it along rows and
 * columns of a rectangular grid separately.
 *
 * ```ts
 * const h = gaussian().weights(gridDist2, 1.5); // squared grid distances, any shape (e.g. [u, b]) → same shape
 * ```
 */
export const gaussian = defineNeighborhood('gaussian', () => ({
  nonNegative: true,
  separable: true,
  weights: <T extends tf.Tensor>(gridDist2: T, sigma: number): T =>
    tf.tidy(() => tf.exp(tf.mul(gridDist2, -1 / (2 * sigma * sigma))) as T),
}));
