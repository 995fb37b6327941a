/**
 * HDBSCAN's default smallest cluster on a hit-weighted codebook, in samples: 2 % of the samples
 * behind the map, at least 5 (`max(5, round(hits / 50))`). {@link cluster} pairs it with
 * `minSamples: 2` (units).
 *
 * Measured with bench/clustering.mjs (sample-level ARI against the true groups, weighted
 * codebooks of 20 × 20 and 10 × 10 maps): on 10 blobs (10,000 × 16) shares of 0.5–3 % find 9–10
 * clusters (ARI 0.90–1.0) and 10 % or more merge blobs; 2–3 % also give the most faithful
 * cluster counts on digits and wine. Counting units instead fails: a blob covers only 6–9 units
 * with hits, so any size above 3 units already merges or drops blobs.
 *
 * ```ts
 * defaultMinClusterSize(10_000); // 200
 * ```
 * @param totalHits - Σ weights: the number of samples mapped onto the codebook
 */
export function defaultMinClusterSize(totalHits: number): number {
  return Math.max(5, Math.round(totalHits / 50));
}
