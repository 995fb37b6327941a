import { toDense, type Points } from './Points.js';
import { silhouetteDenseSamples } from '@somkit/geometry';
import { toLabels } from './labels.js';

/**
 * Mean silhouette coefficient (Euclidean), as scikit-learn computes it: for each point,
 * `s = (b − a) / max(a, b)` with `a` the mean distance to the other members of its cluster and
 * `b` the smallest mean distance to another cluster; points alone in their cluster score 0.
 * Noise points (label < 0) are left out. O(n²·d).
 *
 * ```ts
 * silhouetteScore([[0], [1], [10], [11]], [0, 0, 1, 1]); // ≈ 0.9
 * ```
 * @param points - [n, d]
 * @param labels - [n] cluster ids, negative = noise
 * @returns in [−1, 1]; NaN when fewer than 2 clusters or when every non-noise point forms its own cluster
 */
export function silhouetteScore(points: Points, labels: ArrayLike<number>): number {
  const x = toDense(points);
  const lab = toLabels(labels, x.n);
  return silhouetteDense(x.data, x.n, x.d, lab);
}

/** {@link silhouetteScore} on validated data: the mean of `silhouetteSamples` (`@somkit/geometry`) over the non-noise points. */
export function silhouetteDense(data: Float64Array, n: number, d: number, labels: Int32Array): number {
  const samples = silhouetteDenseSamples({ data, n, d }, labels);
  let total = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i]! < 0) continue;
    const s = samples[i]!;
    if (Number.isNaN(s)) return Number.NaN; // fewer than 2 clusters, or every point its own cluster
    total += s;
    m++;
  }
  return total / m;
}
