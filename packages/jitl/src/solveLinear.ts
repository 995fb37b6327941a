/**
 * Solves A·X = B for a symmetric matrix A [p, p] and right-hand sides B [p, q] (row-major).
 * Tries Cholesky first (A positive definite, the ridge normal equations); falls back to Gaussian
 * elimination with partial pivoting.
 * @returns X [p, q], or undefined when A is singular
 */
export function solveLinear(a: Float64Array, b: Float64Array, p: number, q: number): Float64Array | undefined {
  return choleskySolve(a, b, p, q) ?? gaussSolve(a, b, p, q);
}

function choleskySolve(a: Float64Array, b: Float64Array, p: number, q: number): Float64Array | undefined {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let diag = a[j * p + j]!;
    for (let k = 0; k < j; k++) diag -= l[j * p + k]! ** 2;
    // A pivot at rounding level relative to the diagonal means A is numerically singular.
    if (!(diag > 4 * p * Number.EPSILON * Math.abs(a[j * p + j]!)) || !Number.isFinite(diag)) return undefined;
    const ljj = Math.sqrt(diag);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
      l[i * p + j] = s / ljj;
    }
  }
  const x = new Float64Array(p * q);
  for (let c = 0; c < q; c++) {
    // L y = b (forward), then Lᵀ x = y (backward).
    const y = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = b[i * q + c]!;
      for (let k = 0; k < i; k++) s -= l[i * p + k]! * y[k]!;
      y[i] = s / l[i * p + i]!;
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * x[k * q + c]!;
      x[i * q + c] = s / l[i * p + i]!;
    }
  }
  return x;
}

function gaussSolve(a0: Float64Array, b0: Float64Array, p: number, q: number): Float64Array | undefined {
  const a = Float64Array.from(a0);
  const b = Float64Array.from(b0);
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  const eps = Math.max(scale, 1) * p * Number.EPSILON;
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r * p + col]!) > Math.abs(a[pivot * p + col]!)) pivot = r;
    if (!(Math.abs(a[pivot * p + col]!) > eps)) return undefined;
    if (pivot !== col) {
      for (let k = 0; k < p; k++) [a[col * p + k], a[pivot * p + k]] = [a[pivot * p + k]!, a[col * p + k]!];
      for (let k = 0; k < q; k++) [b[col * q + k], b[pivot * q + k]] = [b[pivot * q + k]!, b[col * q + k]!];
    }
    for (let r = col + 1; r < p; r++) {
      const f = a[r * p + col]! / a[col * p + col]!;
      if (f === 0) continue;
      for (let k = col; k < p; k++) a[r * p + k]! -= f * a[col * p + k]!;
      for (let k = 0; k < q; k++) b[r * q + k]! -= f * b[col * q + k]!;
    }
  }
  const x = new Float64Array(p * q);
  for (let i = p - 1; i >= 0; i--) {
    for (let c = 0; c < q; c++) {
      let s = b[i * q + c]!;
      for (let k = i + 1; k < p; k++) s -= a[i * p + k]! * x[k * q + c]!;
      x[i * q + c] = s / a[i * p + i]!;
    }
  }
  return x;
}
