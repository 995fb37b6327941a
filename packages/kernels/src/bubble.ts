import * as tf from '@tensorflow/tfjs-core';
import { defineNeighborhood } from '@somkit/plugin-api';

/**
 * Bubble neighbourhood 1[d² ≤ σ²], registry name `'bubble'`: weight 1 on the closed disc of
 * radius σ around the BMU, 0 outside (TorchSOM's radial form; MiniSom's square bubble differs). On
 * a rectangular grid with σ = 1 the support is the BMU and its 4 orthogonal neighbours.
 *
 * ```ts
 * const h = bubble().weights(gridDist2, 1); // squared grid distances, any shape → same shape, 0/1 float32
 * ```
 */
export const bubble = defineNeighborhood('bubble', () => ({
  nonNegative: true,
  weights: <T extends tf.Tensor>(gridDist2: T, sigma: number): T =>
    tf.tidy(() => tf.cast(tf.lessEqual(gridDist2, sigma * sigma), 'float32') as T),
}));
