/** A distance of two vectors of the same length, computed in plain JS (float64). */
export type VectorDistance = (a: readonly number[], b: readonly number[]) => number;

/**
 * Plain-JS float64 references of the first-party distances, by registry name: what the
 * conformance suites compare plugins, searches and engine kernels against.
 */
export const JS_DISTANCES: Readonly<Record<string, VectorDistance>> = Object.freeze({
  euclidean: (a, b) => Math.sqrt(squared(a, b)),
  sqeuclidean: (a, b) => squared(a, b),
  manhattan: (a, b) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
    return s;
  },
  chebyshev: (a, b) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]! - b[i]!));
    return s;
  },
  cosine: (a, b) => {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < a.length; i++) {
      ab += a[i]! * b[i]!;
      aa += a[i]! * a[i]!;
      bb += b[i]! * b[i]!;
    }
    return 1 - ab / (Math.max(Math.sqrt(aa), 1e-12) * Math.max(Math.sqrt(bb), 1e-12));
  },
});

function squared(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
}
