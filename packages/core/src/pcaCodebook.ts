import { SomError } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import type { Rng } from '@somkit/geometry';
import { checkPcaSize } from './checkPcaSize.js';
import { topEigen } from '@somkit/geometry';

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
