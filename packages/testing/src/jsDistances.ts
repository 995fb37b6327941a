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

/** Observed (non-NaN) entries of `a` and the matching entries of `b`, and d / observed. */
function observed(a: readonly number[], b: readonly number[]): { a: number[]; b: number[]; scale: number } {
  const oa: number[] = [];
  const ob: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (!Number.isNaN(a[i]!)) {
      oa.push(a[i]!);
      ob.push(b[i]!);
    }
  }
  return { a: oa, b: ob, scale: a.length / oa.length };
}

/**
 * The first-party distances for a sample `a` with NaN at missing cells, as `missing: 'mask'`
 * specifies them: over the observed dimensions, a sum rescaled by d / observed (inside the square
 * root for euclidean), a maximum and a cosine as they are.
 */
export const JS_MASKED_DISTANCES: Readonly<Record<string, VectorDistance>> = Object.freeze({
  euclidean: (a, b) => {
    const o = observed(a, b);
    return Math.sqrt(o.scale * squared(o.a, o.b));
  },
  sqeuclidean: (a, b) => {
    const o = observed(a, b);
    return o.scale * squared(o.a, o.b);
  },
  manhattan: (a, b) => {
    const o = observed(a, b);
    return o.scale * JS_DISTANCES.manhattan!(o.a, o.b);
  },
  chebyshev: (a, b) => {
    const o = observed(a, b);
    return JS_DISTANCES.chebyshev!(o.a, o.b);
  },
  cosine: (a, b) => {
    const o = observed(a, b);
    return JS_DISTANCES.cosine!(o.a, o.b);
  },
});
