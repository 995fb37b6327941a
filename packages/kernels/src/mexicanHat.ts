import * as tf from '@tensorflow/tfjs-core';
import { defineNeighborhood } from '@somkit/plugin-api';

/**
 * Mexican-hat neighbourhood (1 − d²/(4σ²))·exp(−d²/(2σ²)), registry name `'mexican_hat'`.
 *
 * This is TorchSOM's kernel after its normalisation by the maximum: 1 at the BMU, zero at grid
 * distance d = 2σ, negative beyond (minimum −e⁻³/2 ≈ −0.0249 at d = √6·σ), tending to 0 far away.
 * Because it has negative weights, `nonNegative` is false and the batch-map rule rejects it.
 *
 * ```ts
 * const h = mexicanHat().weights(gridDist2, 2); // squared grid distances, any shape → same shape
 * ```
 */
export const mexicanHat = defineNeighborhood('mexican_hat', () => ({
  nonNegative: false,
  weights: <T extends tf.Tensor>(gridDist2: T, sigma: number): T =>
    tf.tidy(() => {
      const s2 = sigma * sigma;
      // (1 − d²/(4σ²)) · exp(−d²/(2σ²))
      const ring = tf.sub(1, tf.mul(gridDist2, 1 / (4 * s2)));
      return tf.mul(ring, tf.exp(tf.mul(gridDist2, -1 / (2 * s2)))) as T;
    }),
}));
