import { toDense, type Points } from './Points.js';
import { clusterIds, toLabels } from './labels.js';
import { clusterCentroids } from './clusterCentroids.js';

/**
 * Davies–Bouldin index (scikit-learn's definition): the mean over clusters of
 * `max_{j≠i} (s_i + s_j) / ‖c_i − c_j‖`, with `s_i` the mean Euclidean distance of cluster i's
 * members to its centroid `c_i`. Lower is better. Noise points (label < 0) are left out;
 * coincident centroids contribute 0 (as in scikit-learn).
 *
 * ```ts
 * daviesBouldinScore([[0], [2], [10], [12]], [0, 0, 1, 1]); // (1 + 1) / 10 = 0.2
 * ```
 * @param points - [n, d]
 * @param labels - [n] cluster ids, negative = noise
 * @returns ≥ 0; NaN when fewer than 2 clusters
 */
export function daviesBouldinScore(points: Points, labels: ArrayLike<number>): number {
  const x = toDense(points);
  return daviesBouldinDense(x.data, x.n, x.d, toLabels(labels, x.n));
}

/** {@link daviesBouldinScore} on validated data. */
export function daviesBouldinDense(data: Float64Array, n: number, d: number, labels: Int32Array): number {
  const ids = clusterIds(labels);
  const k = ids.length;
  if (k < 2) return Number.NaN;
  const { centroids, sizes } = clusterCentroids(data, n, d, labels, ids);
  const slot = new Map<number, number>(ids.map((id, s) => [id, s]));
  const scatter = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const s = slot.get(labels[i]!);
    if (s === undefined) continue;
    scatter[s]! += Math.sqrt(sqDist(data, i * d, centroids, s * d, d));
  }
  for (let s = 0; s < k; s++) scatter[s]! /= sizes[s]!;
  let total = 0;
  for (let a = 0; a < k; a++) {
    let worst = 0;
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      const m = Math.sqrt(sqDist(centroids, a * d, centroids, b * d, d));
      if (m > 0) worst = Math.max(worst, (scatter[a]! + scatter[b]!) / m);
    }
    total += worst;
  }
  return total / k;
}

function sqDist(x: Float64Array, i: number, y: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = x[i + t]! - y[j + t]!;
    s += diff * diff;
  }
  return s;
}
