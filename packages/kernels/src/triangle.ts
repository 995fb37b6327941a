import * as tf from '@tensorflow/tfjs-core';
import { defineNeighborhood } from '@somkit/plugin-api';

/**
 * Triangle (linear cone) neighbourhood max(0, σ − d)/σ with d = √d², registry name `'triangle'`:
 * 1 at the BMU, falling linearly to 0 at grid distance σ (TorchSOM's radial form).
 *
 * ```ts
 * const h = triangle().weights(gridDist2, 3); // squared grid distances, any shape → same shape
 * ```
 */
export const triangle = defineNeighborhood('triangle', () => ({
  nonNegative: true,
  weights: <T extends tf.Tensor>(gridDist2: T, sigma: number): T =>
    tf.tidy(() => {
      // d = √d² (relu guards against tiny negative inputs from rounding).
      const d = tf.sqrt(tf.relu(gridDist2));
      return tf.div(tf.relu(tf.sub(sigma, d)), sigma) as T;
    }),
}));
