import * as tf from '@tensorflow/tfjs-core';
import { SomError } from '@somkit/plugin-api';
import { nonFinite } from './nonFinite.js';

/** A plain typed matrix: row-major values and a shape. */
export interface MatrixData {
  data: Float32Array | Float64Array | number[];
  shape: readonly [number, number];
}

/**
 * Samples as accepted by every public method: nested arrays, `{data, shape}` or a `Tensor2D`.
 * Shape [n, d].
 */
export type MatrixInput = readonly (readonly number[])[] | MatrixData | tf.Tensor2D;

/** A validated matrix on the active backend. `owned` tells whether the caller must dispose it. */
export interface ValidMatrix {
  tensor: tf.Tensor2D;
  n: number;
  d: number;
  owned: boolean;
  /**
   * The validated samples [n, d] as plain data when the input was not a tensor (the caller's own
   * Float32Array for `{data: Float32Array, shape}`), so engines can read them without a copy back
   * from the backend. Read-only.
   */
  host?: Float32Array;
  /** NaN cells (missing values), counted when the call allowed them; 0 otherwise. */
  missing: number;
}

function shapeMismatch(what: string, dims: number | undefined, got: string): never {
  const want = dims === undefined ? '[n, d]' : `[n, ${dims}]`;
  throw new SomError('ERR_SHAPE_MISMATCH', `Expected ${what} of shape ${want}, got ${got}. ${dims === undefined ? '' : `Every row must have ${dims} features (the SOM's dims).`}`.trim());
}

/** `countMissing`, loaded on first use (only data with NaN cells needs it). */
async function countMissing(a: Float32Array, n: number, d: number, what: string): Promise<number> {
  return (await import('./countMissing.js')).countMissing(a, n, d, what);
}

/** Index of the first NaN or ±Infinity in `a`, or −1. */
function firstNonFinite(a: Float32Array): number {
  for (let k = 0; k < a.length; k++) {
    const v = a[k]!;
    if (v - v !== 0) return k;
  }
  return -1;
}

/**
 * Validates samples once at the public boundary and uploads them as float32 [n, d].
 * Checks: non-empty, rectangular (no ragged rows), numeric, finite (or NaN as a missing value
 * when allowed, with at least one observed value per row), `d === dims` when given.
 * @param allowMissing - NaN cells are missing values (counted in `missing`) instead of an error
 * @throws SomError ERR_EMPTY_INPUT | ERR_SHAPE_MISMATCH | ERR_INVALID_INPUT | ERR_NON_FINITE
 */
export async function toMatrix(input: MatrixInput, dims: number | undefined, what = 'data', allowMissing = false): Promise<ValidMatrix> {
  if (input instanceof tf.Tensor) {
    if (input.rank !== 2) shapeMismatch(what, dims, `a rank-${input.rank} tensor of shape [${input.shape.join(', ')}]`);
    const [n, d] = input.shape as [number, number];
    if (n === 0) throw new SomError('ERR_EMPTY_INPUT', `Expected at least one sample in ${what}, got an empty tensor [0, ${d}].`);
    if (dims !== undefined && d !== dims) shapeMismatch(what, dims, `[${n}, ${d}]`);
    const bad = tf.tidy(() => tf.logicalNot(tf.all(tf.isFinite(input))));
    const isBad = (await bad.data())[0] === 1;
    bad.dispose();
    let missing = 0;
    if (isBad) {
      const values = Float32Array.from(await input.data());
      if (allowMissing) missing = await countMissing(values, n, d, what);
      else {
        const k = values.findIndex((v) => !Number.isFinite(v));
        nonFinite(what, Math.floor(k / d), k % d, values[k]!);
      }
    }
    const tensor = input.dtype === 'float32' ? input : tf.cast(input, 'float32');
    return { tensor, n, d, owned: tensor !== input, missing };
  }
  if (Array.isArray(input)) {
    const rows = input as readonly (readonly number[])[];
    const n = rows.length;
    if (n === 0) throw new SomError('ERR_EMPTY_INPUT', `Expected at least one sample in ${what}, got an empty array.`);
    const first = rows[0];
    if (!Array.isArray(first) && !ArrayBuffer.isView(first)) {
      throw new SomError('ERR_INVALID_INPUT', `Expected ${what} as an array of rows (number[][]), {data, shape} or a Tensor2D; row 0 is ${typeof first}. Wrap a single sample as [sample].`);
    }
    const d = first.length;
    if (d === 0) throw new SomError('ERR_EMPTY_INPUT', `Expected at least one feature per sample in ${what}, got rows of length 0.`);
    if (dims !== undefined && d !== dims) shapeMismatch(what, dims, `[${n}, ${d}]`);
    const out = new Float32Array(n * d);
    let nan = false;
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
        throw new SomError('ERR_INVALID_INPUT', `Expected row ${i} of ${what} to be an array of ${d} numbers, got ${row === null ? 'null' : typeof row}.`);
      }
      if (row.length !== d) {
        throw new SomError('ERR_SHAPE_MISMATCH', `Ragged rows in ${what}: row 0 has ${d} values but row ${i} has ${row.length}. Every row needs the same number of features.`, { details: { row: i } });
      }
      for (let j = 0; j < d; j++) {
        const v = row[j];
        if (typeof v !== 'number') {
          throw new SomError('ERR_INVALID_INPUT', `Expected a number at row ${i}, column ${j} of ${what}, got ${v === null ? 'null' : typeof v} ${JSON.stringify(v)}. Convert or drop non-numeric values first.`, { details: { row: i, column: j } });
        }
        if (!Number.isFinite(v)) {
          if (allowMissing && Number.isNaN(v)) nan = true;
          else nonFinite(what, i, j, v);
        }
        out[i * d + j] = v;
      }
    }
    const missing = nan ? await countMissing(out, n, d, what) : 0;
    return { tensor: tf.tensor2d(out, [n, d], 'float32'), n, d, owned: true, host: out, missing };
  }
  if (typeof input === 'object' && input !== null && 'data' in input && 'shape' in input) {
    const { data, shape } = input as MatrixData;
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
      throw new SomError('ERR_SHAPE_MISMATCH', `Expected ${what}.shape to be [n, d] with non-negative integers, got ${JSON.stringify(shape)}.`);
    }
    const [n, d] = shape as [number, number];
    if (n === 0 || d === 0) throw new SomError('ERR_EMPTY_INPUT', `Expected a non-empty ${what}, got shape [${n}, ${d}].`);
    if (dims !== undefined && d !== dims) shapeMismatch(what, dims, `[${n}, ${d}]`);
    if (data.length !== n * d) {
      throw new SomError('ERR_SHAPE_MISMATCH', `${what}.data has ${data.length} values but shape [${n}, ${d}] needs ${n * d}.`);
    }
    let out: Float32Array;
    if (data instanceof Float32Array) {
      // Typed: only non-finite values to find (x − x is NaN exactly for NaN and ±Infinity).
      const k = firstNonFinite(data);
      if (k >= 0 && !allowMissing) nonFinite(what, Math.floor(k / d), k % d, data[k]!);
      out = data;
    } else {
      out = new Float32Array(n * d);
      for (let k = 0; k < n * d; k++) {
        const v = data[k];
        if (typeof v !== 'number') {
          throw new SomError('ERR_INVALID_INPUT', `Expected numbers in ${what}.data, got ${typeof v} at row ${Math.floor(k / d)}, column ${k % d}.`);
        }
        if (!Number.isFinite(v) && !(allowMissing && Number.isNaN(v))) nonFinite(what, Math.floor(k / d), k % d, v);
        out[k] = v;
      }
    }
    const missing = allowMissing && firstNonFinite(out) >= 0 ? await countMissing(out, n, d, what) : 0;
    return { tensor: tf.tensor2d(out, [n, d], 'float32'), n, d, owned: true, host: out, missing };
  }
  throw new SomError('ERR_INVALID_INPUT', `Expected ${what} as number[][], {data, shape} or a Tensor2D, got ${input === null ? 'null' : typeof input}.`);
}

/**
 * Runs `fn` on the validated `input` ({@link toMatrix}) and disposes the tensor made for it
 * afterwards, on error paths too.
 */
export async function withMatrix<T>(input: MatrixInput, dims: number | undefined, what: string, allowMissing: boolean, fn: (m: ValidMatrix) => Promise<T>): Promise<T> {
  const m = await toMatrix(input, dims, what, allowMissing);
  try {
    return await fn(m);
  } finally {
    if (m.owned) m.tensor.dispose();
  }
}

/** The samples [n, d] in CPU memory: the validated input itself when there is one, else a read of the tensor. */
export async function hostSamples(m: ValidMatrix): Promise<Float32Array> {
  return m.host ?? ((await m.tensor.data()) as Float32Array);
}
