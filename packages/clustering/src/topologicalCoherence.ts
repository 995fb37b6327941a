import type { Codebook } from '@somkit/plugin-api';
import { gridDistance } from '@somkit/geometry';
import { clusterIds, toLabels } from './labels.js';
import { validateCodebook } from './validateCodebook.js';

/**
 * How compact each cluster is on the map grid (TorchSOM's `topological_quality`): for every
 * cluster with ≥ 2 units, the mean pairwise grid distance between its units — plane distance on
 * rectangular grids, step (hex) distance on hexagonal grids, minimum image on a torus — divided
 * by `max(rows, cols)`, turned into a coherence `1 / (1 + that)`; the result is the average
 * weighted by cluster size. Noise units (label < 0) and single-unit clusters are left out.
 * Returns 1 with fewer than two clusters, as TorchSOM does. O(Σ size²).
 *
 * ```ts
 * topologicalCoherence(som.getCodebook(), result.labels); // in (0, 1], higher = more compact
 * ```
 * @param codebook - the map the labels belong to
 * @param labels - [u] one label per unit, negative = noise
 */
export function topologicalCoherence(codebook: Codebook, labels: ArrayLike<number>): number {
  validateCodebook(codebook);
  return topologicalCoherenceChecked(codebook, toLabels(labels, codebook.units));
}

/** {@link topologicalCoherence} on validated input. */
export function topologicalCoherenceChecked(codebook: Codebook, labels: Int32Array): number {
  const ids = clusterIds(labels);
  if (ids.length <= 1) return 1;
  const dist = gridDistance(codebook);
  const scale = Math.max(codebook.rows, codebook.cols);
  const members = new Map<number, number[]>(ids.map((id) => [id, []]));
  for (let u = 0; u < labels.length; u++) if (labels[u]! >= 0) members.get(labels[u]!)!.push(u);
  let total = 0;
  let units = 0;
  for (const list of members.values()) {
    const m = list.length;
    if (m <= 1) continue;
    let sum = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) sum += dist(list[i]!, list[j]!);
    const mean = sum / ((m * (m - 1)) / 2);
    total += m / (1 + mean / scale);
    units += m;
  }
  return units === 0 ? 1 : total / units;
}
