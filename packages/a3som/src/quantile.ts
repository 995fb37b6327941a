/**
 * Quantile with linear interpolation between order statistics (NumPy's default).
 * @param sorted - ascending values (non-empty)
 * @param q - in [0, 1]
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const t = pos - lo;
  return sorted[lo]! * (1 - t) + sorted[hi]! * t;
}
