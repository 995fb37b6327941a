/**
 * Per-neuron sums `[S | m]` [u, d + 1] of samples `x` [n, d] given their search results
 * (`indices` [n, k], the BMU first): Σ x over the samples whose BMU is each unit, then their
 * count. Accumulated in float64 in row order, so the result is the same on every backend and
 * every run. O(n·d).
 */
export function sumsByBmu(x: Float32Array, indices: Int32Array, n: number, u: number, d: number, k: number): Float32Array {
  const acc = new Float64Array(u * (d + 1));
  for (let i = 0; i < n; i++) {
    const at = indices[i * k]! * (d + 1);
    const from = i * d;
    for (let j = 0; j < d; j++) acc[at + j] = acc[at + j]! + x[from + j]!;
    acc[at + d] = acc[at + d]! + 1;
  }
  return Float32Array.from(acc);
}

/**
 * {@link sumsByBmu} for samples with NaN at missing cells: `sums` [u, d + 1] adds observed values
 * only (then the sample count), `counts` [u, d] the samples with each dimension observed — the
 * per-dimension denominators of the masked batch-map update. Float64, row order.
 */
export function observedSumsByBmu(x: Float32Array, indices: Int32Array, n: number, u: number, d: number, k: number): { sums: Float32Array; counts: Float32Array } {
  const acc = new Float64Array(u * (d + 1));
  const counts = new Float32Array(u * d);
  for (let i = 0; i < n; i++) {
    const unit = indices[i * k]!;
    const at = unit * (d + 1);
    const from = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[from + j]!;
      if (v !== v) continue;
      acc[at + j] = acc[at + j]! + v;
      counts[unit * d + j]! += 1;
    }
    acc[at + d] = acc[at + d]! + 1;
  }
  return { sums: Float32Array.from(acc), counts };
}
