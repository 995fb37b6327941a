import * as tf from '@tensorflow/tfjs-core';
import { SomError } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import type { Rng } from '@somkit/geometry';
import type { InitMode } from './config.js';

/**
 * Initial codebook [u, d].
 * - `random`: each unit takes a data row drawn with replacement (TorchSOM); the rows are
 *   {@link randomInitRows}.
 * - `pca`: the grid spans the plane of the top-2 principal directions, centred on the data mean:
 *   `w = mean + a·√λ₁·v₁ + b·√λ₂·v₂` with (a, b) the unit's plane coordinates scaled to [−1, 1]
 *   and the grid's longer side along v₁ (SOM Toolbox `lininit` scaling; TorchSOM/MiniSom use
 *   unscaled eigenvectors, which ignores the data's spread). The construction from the mean and
 *   covariance is `pcaCodebook`.
 * - `kmeans` / `kmeans_cosine` (fastsom): the centroids of a seeded k-means with k = units
 *   (Euclidean, or assignments by cosine similarity), unordered on the grid; see `kmeansCodebook`.
 * @param x - samples [n, d] (not disposed)
 * @throws SomError ERR_NON_FINITE when the PCA codebook overflows float32 (data beyond about 1e19)
 */
export async function initCodebook(x: tf.Tensor2D, grid: Grid, mode: InitMode, rng: Rng): Promise<tf.Tensor2D> {
  const n = x.shape[0];
  if (mode === 'random') {
    const idx = randomInitRows(n, grid.units, rng);
    return tf.tidy(() => tf.gather(x, tf.tensor1d(idx, 'int32')));
  }
  // PCA (its eigen solver) and k-means are loaded on first use: an app that inits from random
  // rows never downloads them.
  return (await import('./dataInitCodebook.js')).dataInitCodebook(x, grid, mode, rng);
}

/**
 * The data rows `init: 'random'` gives the units: unit i takes row `rng.int(n)`, drawn in unit
 * order with replacement (one draw per unit). Anyone who knows `n` and the generator's state picks
 * the same rows, e.g. a distributed driver over the concatenation of its shards.
 *
 * ```ts
 * const rows = randomInitRows(10_000, som.units, new Rng(som.config.seed)); // Int32Array [u]
 * ```
 * @param n - rows of the data
 * @param units - u, the units of the map
 * @returns [u] row indices in [0, n)
 * @throws SomError ERR_EMPTY_INPUT (n < 1)
 */
export function randomInitRows(n: number, units: number, rng: Rng): Int32Array {
  if (!Number.isSafeInteger(n) || n < 1) throw new SomError('ERR_EMPTY_INPUT', `init: 'random' needs at least one data row to draw from, got n=${String(n)}.`);
  const idx = new Int32Array(units);
  for (let i = 0; i < idx.length; i++) idx[i] = rng.int(n);
  return idx;
}
