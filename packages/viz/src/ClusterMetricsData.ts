/**
 * Quality scores of one clustering, the shape of `result.metrics` of `cluster()` in
 * `@somkit/clustering` (plain data; NaN = undefined, e.g. fewer than 2 clusters).
 */
export interface ClusterMetricsData {
  /** Mean silhouette, higher is better. */
  readonly silhouette: number;
  /** Davies–Bouldin index, lower is better. */
  readonly daviesBouldin: number;
  /** Calinski–Harabasz index, higher is better. */
  readonly calinskiHarabasz: number;
  /** Grid compactness in (0, 1], higher is better. */
  readonly topologicalCoherence: number;
  /** Share of noise units in [0, 1], lower is better. */
  readonly noiseRatio: number;
  readonly nNoise?: number;
}
