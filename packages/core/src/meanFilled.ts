/**
 * A copy of samples [n, d] with each NaN cell (a missing value) replaced by its column's mean over
 * the observed values (0 for a column with none): what the codebook initialisation (random rows,
 * PCA) of data with missing values starts from, so no unit begins with a NaN.
 */
export function meanFilled(x: Float32Array, n: number, d: number): Float32Array {
  const sum = new Float64Array(d);
  const count = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]!;
      if (v === v) {
        sum[j] = sum[j]! + v;
        count[j] = count[j]! + 1;
      }
    }
  }
  const out = new Float32Array(x);
  for (let k = 0; k < out.length; k++) {
    if (out[k] !== out[k]) {
      const j = k % d;
      out[k] = count[j]! > 0 ? sum[j]! / count[j]! : 0;
    }
  }
  return out;
}
