/** The model-selection curve behind an automatic k. */
export interface KCurve {
  /** Candidate numbers of clusters, ascending. */
  readonly ks: number[];
  /** Criterion value at each k (same order as `ks`). */
  readonly values: number[];
  /** `'inertia'` (k-means elbow) or `'bic'` (GMM, minimum wins). */
  readonly criterion: 'inertia' | 'bic';
}

/** Largest k tried by the automatic rules: `min(10, max(2, ⌊√n⌋))`, never above n (TorchSOM). */
export function autoKMax(n: number): number {
  return Math.min(n, Math.min(10, Math.max(2, Math.floor(Math.sqrt(n)))));
}
