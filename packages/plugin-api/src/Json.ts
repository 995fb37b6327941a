/** A JSON value: what plugin options and model files may contain. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * True when `v` survives `JSON.parse(JSON.stringify(v))` unchanged (finite numbers, plain objects).
 * Iterative: a value nested 10⁵ levels deep (a hostile model file) is checked without a stack
 * overflow.
 */
export function isJson(v: unknown): v is Json {
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x === 'boolean' || typeof x === 'string') continue;
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return false;
      continue;
    }
    if (Array.isArray(x)) {
      for (const e of x) stack.push(e);
      continue;
    }
    if (typeof x === 'object') {
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const e of Object.values(x as Record<string, unknown>)) stack.push(e);
      continue;
    }
    return false;
  }
  return true;
}

/**
 * True when `v` nests objects/arrays more than `limit` levels deep. Iterative, so a hostile file
 * with 10⁵ levels is measured without a stack overflow; readers refuse such values before a
 * recursive consumer (`JSON.stringify`, a deserialiser) meets them.
 */
export function nestsDeeperThan(v: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (depth >= limit) return true;
    for (const e of Array.isArray(x) ? x : Object.values(x as Record<string, unknown>)) if (typeof e === 'object' && e !== null) stack.push([e, depth + 1]);
  }
  return false;
}
