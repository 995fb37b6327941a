import * as tf from '@tensorflow/tfjs-core';
import { SomError } from '@somkit/plugin-api';
import type { Grid } from './Grid.js';
import type { Rng } from './Rng.js';
import type { InitMode } from './config.js';
import { topEigen } from './topEigen.js';

/**
 * Initial codebook [u, d].
 * - `random`: each unit takes a data row drawn with replacement (TorchSOM); the rows are
 *   {@link randomInitRows}.
 * - `pca`: the grid spans the plane of the top-2 principal directions, centred on the data mean:
 *   `w = mean + a·√λ₁·v₁ + b·√λ₂·v₂` with (a, b) the unit's plane coordinates scaled to [−1, 1]
 *   and the grid's longer side along v₁ (SOM Toolbox `lininit` scaling; TorchSOM/MiniSom use
 *   unscaled eigenvectors, which ignores the data's spread). The construction from the mean and
 *   covariance is {@link pcaCodebook}.
 * @param x - samples [n, d] (not disposed)
 */
export async function initCodebook(x: tf.Tensor2D, grid: Grid, mode: InitMode, rng: Rng): Promise<tf.Tensor2D> {
  const [n, d] = x.shape;
  if (mode === 'random') {
    const idx = randomInitRows(n, grid.units, rng);
    return tf.tidy(() => tf.gather(x, tf.tensor1d(idx, 'int32')));
  }
  checkPcaSize(n, d);
  const [meanT, covT] = tf.tidy(() => {
    const mean = tf.mean(x, 0);
    const xc = tf.sub(x, mean);
    // Covariance [d, d]; transpose explicitly once (wasm is slow with transposeA/B flags).
    const cov = tf.div(tf.matMul(tf.transpose(xc), xc), n - 1);
    return [mean, cov];
  });
  try {
    const mean = await meanT.data();
    const cov = Float64Array.from(await covT.data());
    return tf.tensor2d(pcaCodebook(mean, cov, n, grid, rng), [grid.units, d], 'float32');
  } finally {
    tf.dispose([meanT, covT]);
  }
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

/**
 * The `init: 'pca'` codebook from the data's mean and covariance (as {@link initCodebook} builds
 * it): the top-2 eigenpairs of `cov` ({@link topEigen}, drawing its start vectors from `rng`), each
 * unit at `mean + a·√λ₁·v₁ + b·√λ₂·v₂` with (a, b) its grid plane coordinates scaled to [−1, 1],
 * the grid's longer side along v₁. Mean and covariance may come from anywhere, e.g. per-shard
 * sums merged in float64.
 *
 * ```ts
 * const w = pcaCodebook(mean, cov, n, som.grid, new Rng(som.config.seed)); // Float32Array [u, d]
 * await som.setWeights({ data: w, shape: [som.units, som.dims] });
 * ```
 * @param mean - [d] column means
 * @param cov - [d, d] covariance, row-major, normalised by n − 1
 * @param n - samples the moments were computed from (at least 2)
 * @returns [u, d] row-major
 * @throws SomError ERR_INVALID_CONFIG (d < 2), ERR_EMPTY_INPUT (n < 2), ERR_SHAPE_MISMATCH (cov not [d, d])
 */
export function pcaCodebook(mean: ArrayLike<number>, cov: Float64Array, n: number, grid: Pick<Grid, 'units' | 'coords'>, rng: Rng): Float32Array {
  const d = mean.length;
  checkPcaSize(n, d);
  if (cov.length !== d * d) {
    throw new SomError('ERR_SHAPE_MISMATCH', `pcaCodebook: expected a [${d}, ${d}] covariance (${d * d} values) for a mean of ${d} values, got ${cov.length} values.`);
  }
  const { vectors, values } = topEigen(cov, d, 2, rng);
  const [v1, v2] = vectors as [Float64Array, Float64Array];
  const s1 = Math.sqrt(Math.max(values[0]!, 0));
  const s2 = Math.sqrt(Math.max(values[1]!, 0));
  // Plane coordinates scaled to [-1, 1] per axis; the longer side follows the first component.
  const u = grid.units;
  const xs = new Float64Array(u);
  const ys = new Float64Array(u);
  for (let i = 0; i < u; i++) {
    xs[i] = grid.coords[2 * i]!;
    ys[i] = grid.coords[2 * i + 1]!;
  }
  const norm = (a: Float64Array): number => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of a) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const half = (hi - lo) / 2;
    for (let i = 0; i < a.length; i++) a[i] = half > 0 ? (a[i]! - (lo + half)) / half : 0;
    return hi - lo;
  };
  const ex = norm(xs);
  const ey = norm(ys);
  const [a, b] = ex >= ey ? [xs, ys] : [ys, xs];
  const w = new Float32Array(u * d);
  for (let i = 0; i < u; i++) {
    for (let j = 0; j < d; j++) w[i * d + j] = mean[j]! + a[i]! * s1 * v1[j]! + b[i]! * s2 * v2[j]!;
  }
  return w;
}

function checkPcaSize(n: number, d: number): void {
  if (d < 2) throw new SomError('ERR_INVALID_CONFIG', `init: 'pca' needs at least 2 features to find two principal directions, got dims=${d}. Use init: 'random'.`);
  if (n < 2) throw new SomError('ERR_EMPTY_INPUT', `init: 'pca' needs at least 2 samples to estimate a covariance, got ${n}. Use init: 'random' or more data.`);
}
