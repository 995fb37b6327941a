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
