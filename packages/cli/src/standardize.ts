/**
 * Z-scores each column of a row-major [n, d] matrix in place and returns the mean and scale used.
 * Constant columns keep scale 1 (centred only), so nothing turns into NaN.
 */
export function standardize(data: Float32Array, n: number, d: number): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scale[j] = scale[j]! + (data[i * d + j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(scale[j]! / Math.max(1, n - 1));
    scale[j] = sd > 1e-12 ? sd : 1;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = (data[i * d + j]! - mean[j]!) / scale[j]!;
  return { mean, scale };
}
