import { SomError } from '@somkit/plugin-api';

/**
 * Points as accepted by the point-level functions and the metrics: nested rows, or a row-major
 * `{data, shape}` matrix. Shape [n, d].
 */
export type Points =
  | readonly (readonly number[])[]
  | readonly Float32Array[]
  | readonly Float64Array[]
  | { readonly data: ArrayLike<number>; readonly shape: readonly [number, number] };

/** A validated dense matrix: row-major float64 values, [n, d]. */
export interface DenseMatrix {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
}

/**
 * Validates points once at the public boundary and copies them into a dense float64 matrix.
 * @throws SomError ERR_EMPTY_INPUT | ERR_SHAPE_MISMATCH | ERR_NON_FINITE | ERR_INVALID_INPUT
 */
export function toDense(points: Points, what = 'points'): DenseMatrix {
  if (Array.isArray(points)) {
    const rows = points as readonly ArrayLike<number>[];
    const n = rows.length;
    if (n === 0) throw new SomError('ERR_EMPTY_INPUT', `Expected at least one row in ${what}, got an empty array.`);
    const first = rows[0];
    if (first === null || typeof first !== 'object' || typeof first.length !== 'number') {
      throw new SomError('ERR_INVALID_INPUT', `Expected ${what} as an array of rows (number[][]) or {data, shape}; row 0 is ${first === null ? 'null' : typeof first}.`);
    }
    const d = first.length;
    if (d === 0) throw new SomError('ERR_EMPTY_INPUT', `Expected at least one feature per row in ${what}, got rows of length 0.`);
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (row === null || typeof row !== 'object' || row.length !== d) {
        throw new SomError('ERR_SHAPE_MISMATCH', `Ragged rows in ${what}: row 0 has ${d} values but row ${i} has ${row === null || typeof row !== 'object' ? 'none' : row.length}. Every row needs the same number of features.`);
      }
      for (let j = 0; j < d; j++) data[i * d + j] = check(row[j], what, i, j);
    }
    return { data, n, d };
  }
  if (typeof points === 'object' && points !== null && 'data' in points && 'shape' in points) {
    const { data: src, shape } = points;
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
      throw new SomError('ERR_SHAPE_MISMATCH', `Expected ${what}.shape to be [n, d] with non-negative integers, got ${JSON.stringify(shape)}.`);
    }
    const [n, d] = shape as [number, number];
    if (n === 0 || d === 0) throw new SomError('ERR_EMPTY_INPUT', `Expected a non-empty ${what}, got shape [${n}, ${d}].`);
    if (src === null || typeof src !== 'object' || src.length !== n * d) {
      throw new SomError('ERR_SHAPE_MISMATCH', `${what}.data has ${src === null || typeof src !== 'object' ? 'no' : src.length} values but shape [${n}, ${d}] needs ${n * d}.`);
    }
    const data = new Float64Array(n * d);
    for (let k = 0; k < n * d; k++) data[k] = check(src[k], what, Math.floor(k / d), k % d);
    return { data, n, d };
  }
  throw new SomError('ERR_INVALID_INPUT', `Expected ${what} as number[][] or {data, shape}, got ${points === null ? 'null' : typeof points}.`);
}

function check(v: unknown, what: string, i: number, j: number): number {
  if (typeof v !== 'number') {
    throw new SomError('ERR_INVALID_INPUT', `Expected a number at row ${i}, column ${j} of ${what}, got ${v === null ? 'null' : typeof v}.`);
  }
  if (!Number.isFinite(v)) {
    throw new SomError('ERR_NON_FINITE', `Expected finite numbers in ${what}, got ${v} at row ${i}, column ${j}.`, { details: { row: i, column: j } });
  }
  return v;
}

/** Rows of a dense matrix as `number[][]` (the form ml-kmeans takes). */
export function denseRows(m: DenseMatrix): number[][] {
  const out: number[][] = new Array(m.n);
  for (let i = 0; i < m.n; i++) out[i] = Array.from(m.data.subarray(i * m.d, (i + 1) * m.d));
  return out;
}
