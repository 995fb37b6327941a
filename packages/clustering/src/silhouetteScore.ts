import { toDense, type Points } from './Points.js';
import { clusterIds, toLabels } from './labels.js';

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

/** {@link silhouetteScore} on validated data. */
export function silhouetteDense(data: Float64Array, n: number, d: number, labels: Int32Array): number {
  const ids = clusterIds(labels);
  const k = ids.length;
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (labels[i]! >= 0) kept.push(i);
  const m = kept.length;
  if (k < 2 || k >= m) return Number.NaN;
  const slot = new Map<number, number>(ids.map((id, s) => [id, s]));
  const sizes = new Float64Array(k);
  for (const i of kept) sizes[slot.get(labels[i]!)!]!++;
  const sums = new Float64Array(k);
  let total = 0;
  for (const i of kept) {
    sums.fill(0);
    for (const j of kept) {
      if (j === i) continue;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t]! - data[j * d + t]!;
        s += diff * diff;
      }
      sums[slot.get(labels[j]!)!]! += Math.sqrt(s);
    }
    const own = slot.get(labels[i]!)!;
    if (sizes[own]! <= 1) continue; // singleton cluster: s = 0
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    const den = Math.max(a, b);
    total += den > 0 ? (b - a) / den : 0;
  }
  return total / m;
}
