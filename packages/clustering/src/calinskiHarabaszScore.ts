import { toDense, type Points } from './Points.js';
import { clusterIds, toLabels } from './labels.js';
import { clusterCentroids } from './clusterCentroids.js';

/**
 * Calinski–Harabasz index (variance-ratio criterion):
 * `[B / (k − 1)] / [W / (m − k)]`, with B the between-cluster and W the within-cluster sum of
 * squares over the m non-noise points. Higher is better. As in scikit-learn, W = 0 gives 1.
 *
 * ```ts
 * calinskiHarabaszScore([[0], [2], [10], [12]], [0, 0, 1, 1]); // (100/1) / (4/2) = 50
 * ```
 * @param points - [n, d]
 * @param labels - [n] cluster ids, negative = noise
 * @returns ≥ 0; NaN when k < 2 or m ≤ k
 */
export function calinskiHarabaszScore(points: Points, labels: ArrayLike<number>): number {
  const x = toDense(points);
  return calinskiHarabaszDense(x.data, x.n, x.d, toLabels(labels, x.n));
}

/** {@link calinskiHarabaszScore} on validated data. */
export function calinskiHarabaszDense(data: Float64Array, n: number, d: number, labels: Int32Array): number {
  const ids = clusterIds(labels);
  const k = ids.length;
  let m = 0;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    if (labels[i]! < 0) continue;
    m++;
    for (let t = 0; t < d; t++) mean[t]! += data[i * d + t]!;
  }
  if (k < 2 || m <= k) return Number.NaN;
  for (let t = 0; t < d; t++) mean[t]! /= m;
  const { centroids, sizes } = clusterCentroids(data, n, d, labels, ids);
  const slot = new Map<number, number>(ids.map((id, s) => [id, s]));
  let between = 0;
  for (let s = 0; s < k; s++) {
    let q = 0;
    for (let t = 0; t < d; t++) q += (centroids[s * d + t]! - mean[t]!) ** 2;
    between += sizes[s]! * q;
  }
  let within = 0;
  for (let i = 0; i < n; i++) {
    const s = slot.get(labels[i]!);
    if (s === undefined) continue;
    for (let t = 0; t < d; t++) within += (data[i * d + t]! - centroids[s * d + t]!) ** 2;
  }
  if (within === 0) return 1;
  return (between / (k - 1)) / (within / (m - k));
}
