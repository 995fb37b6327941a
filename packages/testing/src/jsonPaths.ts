/** A JSON value (what `JSON.parse` returns). */
export type JsonTree = null | boolean | number | string | JsonTree[] | { [k: string]: JsonTree };

/** A path into a {@link JsonTree}: object keys and array indices, outermost first. */
export type JsonPath = (string | number)[];

/**
 * Every path to a value inside `v` (objects and arrays, depth first, each container before its
 * children), the root excluded. Fuzz tests pick one to delete or replace.
 *
 * ```ts
 * jsonPaths({ a: [1, { b: 2 }] }); // [['a'], ['a', 0], ['a', 1], ['a', 1, 'b']]
 * ```
 */
export function jsonPaths(v: JsonTree, at: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...at, i]), jsonPaths(x, [...at, i], out)));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) (out.push([...at, k]), jsonPaths(x, [...at, k], out));
  return out;
}

/**
 * The container holding the value at `path` (a non-empty path from {@link jsonPaths}) and its key
 * there, to mutate in place: `delete parent[key]`, `parent.splice(key, 1)`, `parent[key] = x`.
 */
export function jsonParentOf(root: JsonTree, path: JsonPath): [Record<string | number, JsonTree>, string | number] {
  let p = root as Record<string | number, JsonTree>;
  for (const k of path.slice(0, -1)) p = p[k] as unknown as Record<string | number, JsonTree>;
  return [p, path[path.length - 1]!];
}
