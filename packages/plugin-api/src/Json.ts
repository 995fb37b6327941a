/** A JSON value: what plugin options and model files may contain. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * True when `v` survives `JSON.parse(JSON.stringify(v))` unchanged (finite numbers, plain objects).
 * Iterative: a value nested 10⁵ levels deep (a hostile model file) is checked without a stack
 * overflow.
 */
export function isJson(v: unknown): v is Json {
  const stack = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x === 'object' && x !== null) {
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null && !Array.isArray(x)) return false;
      for (const e of Object.values(x)) stack.push(e);
    } else if (typeof x === 'number' ? !Number.isFinite(x) : x !== null && typeof x !== 'boolean' && typeof x !== 'string') return false;
  }
  return true;
}
