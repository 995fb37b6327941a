/** A distance between row `i` of `a` and row `j` of `b` (both row-major with `d` columns), in plain JS. */
export type RowMetric = (a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, d: number) => number;

/**
 * The distances this backend can compute itself, by somkit registry name. Pruning with pivots
 * needs the triangle inequality, so only metrics are listed (not sqeuclidean or cosine).
 */
export const METRICS: Readonly<Record<string, RowMetric>> = Object.freeze({
  euclidean: (a, i, b, j, d) => {
    let s = 0;
    for (let f = 0; f < d; f++) {
      const t = (a[i * d + f] as number) - (b[j * d + f] as number);
      s += t * t;
    }
    return Math.sqrt(s);
  },
  manhattan: (a, i, b, j, d) => {
    let s = 0;
    for (let f = 0; f < d; f++) s += Math.abs((a[i * d + f] as number) - (b[j * d + f] as number));
    return s;
  },
  chebyshev: (a, i, b, j, d) => {
    let s = 0;
    for (let f = 0; f < d; f++) s = Math.max(s, Math.abs((a[i * d + f] as number) - (b[j * d + f] as number)));
    return s;
  },
});
