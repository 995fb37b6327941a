/**
 * A short human-readable number for labels and tooltips: integers as they are, otherwise 3
 * significant digits (exponent form for very large or small magnitudes). Non-finite → `'–'`
 * (never the string 'NaN').
 */
export function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return '–';
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(digits)));
}

/** A number for a `data-*` attribute: 7 significant digits (float32 precision), `''` when not finite. */
export function attrNumber(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(7))) : '';
}

/** A coordinate for SVG geometry, rounded to 2 decimals. */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}
