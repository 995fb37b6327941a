import type { ClusterMetricsData } from './ClusterMetricsData.js';

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
}

/**
 * The ranking score of a clustering, the rule that picks the best row of
 * `renderClusterComparison`: the mean silhouette over **all** units with noise units
 * counted as 0, i.e. `silhouette × (1 − noiseRatio)` (the silhouette of `cluster()` is over the
 * non-noise units only, so HDBSCAN leaving half the map as noise cannot win on its well-separated
 * half). NaN when the silhouette is undefined (fewer than 2 clusters).
 *
 * ```ts
 * clusterScore({ silhouette: 0.3, noiseRatio: 0.48, daviesBouldin: 1.35, calinskiHarabasz: 31, topologicalCoherence: 0.75 }); // 0.156
 * ```
 */
export function clusterScore(metrics: ClusterMetricsData): number {
  const s = num(metrics.silhouette);
  const noise = num(metrics.noiseRatio);
  return s * (1 - (Number.isFinite(noise) ? Math.min(1, Math.max(0, noise)) : 0));
}
