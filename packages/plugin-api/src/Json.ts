/** A JSON value: what plugin options and model files may contain. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** True when `v` survives `JSON.parse(JSON.stringify(v))` unchanged (finite numbers, plain objects). */
export function isJson(v: unknown): v is Json {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJson);
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(v as Record<string, unknown>).every(isJson);
  }
  return false;
}
