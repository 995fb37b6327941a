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

