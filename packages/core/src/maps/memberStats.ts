/**
 * Mean and unbiased standard deviation (n − 1 denominator) of `target` over the samples `idx`.
 * A single sample has std 0; no sample gives NaN for both.
 * @param target - [n] values
 * @param idx - sample indices of one unit
 */
export function memberStats(target: Float64Array, idx: Int32Array): { mean: number; std: number; n: number } {
  const n = idx.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n };
  let s = 0;
  for (const i of idx) s += target[i]!;
  const mean = s / n;
  if (n === 1) return { mean, std: 0, n };
  let ss = 0;
  for (const i of idx) ss += (target[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(ss / (n - 1)), n };
}
