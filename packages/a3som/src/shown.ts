/**
 * A value as an error message shows it: numbers as JavaScript prints them (`Infinity`, `NaN`,
 * where `JSON.stringify` gives `null`), functions as "a function", the rest as JSON.
 */
export function shown(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || v === undefined) return String(v);
  if (typeof v === 'function') return 'a function';
  return JSON.stringify(v) ?? String(v);
}
