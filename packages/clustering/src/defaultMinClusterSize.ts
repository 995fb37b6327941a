/**
 * HDBSCAN's default smallest cluster for a hit-weighted codebook, as a function of the units
 * that carry hits (m). Placeholder, set by measurement in bench/clustering.mjs.
 */
export function defaultMinClusterSize(m: number): number {
  return Math.max(2, Math.min(m, Math.max(5, Math.floor(m / 20))));
}
