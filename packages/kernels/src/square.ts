import * as tf from '@tensorflow/tfjs-core';
import { defineNeighborhood } from '@somkit/plugin-api';

/**
 * Square neighbourhood exp(−√max(|Δrow|, |Δcol|)/σ), registry name `'square'` (fastsom's
 * `neigh_square`): the L∞ norm of the grid offset, so its level sets are squares. Never negative;
 * 1 at the BMU; not radial, so core builds its tables from `offsetWeights` (grid offsets;
 * see `NeighborhoodPlugin.offsetWeights` for hexagonal and toroidal grids). `weights(d²)` is the
 * kernel along one axis, exp(−(d²)^¼/σ).
 *
 * ```ts
 * const h = square().offsetWeights!(dRow, dCol, 2); // offsets, any shape → same shape
 * ```
 */
export const square = defineNeighborhood('square', () => ({
  nonNegative: true,
  weights: <T extends tf.Tensor>(gridDist2: T, sigma: number): T =>
    tf.tidy(() => tf.exp(tf.mul(tf.pow(gridDist2, 0.25), -1 / sigma)) as T),
  offsetWeights: <T extends tf.Tensor>(dRow: T, dCol: T, sigma: number): T =>
    tf.tidy(() => tf.exp(tf.mul(tf.sqrt(tf.maximum(tf.abs(dRow), tf.abs(dCol))), -1 / sigma)) as T),
}));
