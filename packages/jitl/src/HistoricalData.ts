import { SomError } from '@somkit/plugin-api';

/** Historical samples [n, d]: nested rows or a row-major `{data, shape}` matrix. */
export type HistoricalData =
  | readonly (readonly number[])[]
  | readonly Float32Array[]
  | { readonly data: ArrayLike<number>; readonly shape: readonly [number, number] };

/** Historical outputs: [n] (one per sample), [n][q] rows, or `{data, shape: [n, q]}`. */
export type HistoricalOutputs =
  | readonly number[]
  | Float32Array
  | Float64Array
  | readonly (readonly number[])[]
  | { readonly data: ArrayLike<number>; readonly shape: readonly [number, number] };

/** Row access over validated historical data. */
export interface RowSource {
  readonly n: number;
  readonly width: number;
  /** Copies row i into out[offset..offset+width). */
  copyRow(i: number, out: Float32Array, offset: number): void;
}

function mismatch(message: string): never {
  throw new SomError('ERR_SHAPE_MISMATCH', message);
}

/**
 * Wraps samples for row access after checking their shape: n rows of `dims` values each.
 * Values are checked lazily when a row is copied (finite numbers).
 * @throws SomError ERR_SHAPE_MISMATCH | ERR_INVALID_INPUT
 */
export function sampleRows(data: HistoricalData, n: number, dims: number): RowSource {
  if (Array.isArray(data)) {
    const rows = data as readonly ArrayLike<number>[];
    if (rows.length !== n) mismatch(`data: the index was built from ${n} historical samples but data has ${rows.length} rows. Pass the same data the index was built from, or rebuild the index.`);
    return {
      n,
      width: dims,
      copyRow(i, out, offset) {
        const row = rows[i];
        if (row === null || typeof row !== 'object' || row.length !== dims) {
          mismatch(`data: expected row ${i} to have ${dims} features (the SOM's dims), got ${row === null || typeof row !== 'object' ? 'no row' : row.length}.`);
        }
        for (let j = 0; j < dims; j++) out[offset + j] = finite(row[j], 'data', i, j);
      },
    };
  }
  return matrixRows(data as { data: ArrayLike<number>; shape: readonly [number, number] }, 'data', n, dims);
}

/**
 * Wraps outputs for row access: q = 1 for a flat [n] vector, else the row width.
 * @throws SomError ERR_SHAPE_MISMATCH when there are not exactly n outputs
 */
export function outputRows(outputs: HistoricalOutputs, n: number): RowSource {
  const isFlat = ArrayBuffer.isView(outputs) || (Array.isArray(outputs) && (outputs.length === 0 || typeof outputs[0] === 'number'));
  if (isFlat) {
    const values = outputs as ArrayLike<number>;
    if (values.length !== n) mismatch(`outputs: expected one output per historical sample (${n}, index.n), got ${values.length}.`);
    return { n, width: 1, copyRow(i, out, offset) { out[offset] = finite(values[i], 'outputs', i, 0); } };
  }
  if (Array.isArray(outputs)) {
    const rows = outputs as readonly ArrayLike<number>[];
    if (rows.length !== n) mismatch(`outputs: expected one output row per historical sample (${n}, index.n), got ${rows.length}.`);
    const q = rows[0]!.length;
    if (q === 0) mismatch('outputs: expected at least one output per row, got rows of length 0.');
    return {
      n,
      width: q,
      copyRow(i, out, offset) {
        const row = rows[i];
        if (row === null || typeof row !== 'object' || row.length !== q) mismatch(`outputs: row 0 has ${q} values but row ${i} has ${row === null || typeof row !== 'object' ? 'none' : row.length}.`);
        for (let j = 0; j < q; j++) out[offset + j] = finite(row[j], 'outputs', i, j);
      },
    };
  }
  if (typeof outputs === 'object' && outputs !== null && 'shape' in outputs) {
    const shape = outputs.shape;
    return matrixRows(outputs, 'outputs', n, Array.isArray(shape) && shape.length === 2 ? (shape[1] as number) : -1);
  }
  throw new SomError('ERR_INVALID_INPUT', `outputs: expected number[], number[][] or {data, shape}, got ${outputs === null ? 'null' : typeof outputs}.`);
}

function matrixRows(m: { data: ArrayLike<number>; shape: readonly [number, number] }, what: string, n: number, width: number): RowSource {
  if (typeof m !== 'object' || m === null || !('data' in m) || !('shape' in m)) {
    throw new SomError('ERR_INVALID_INPUT', `${what}: expected number[][] or {data, shape}, got ${m === null ? 'null' : typeof m}.`);
  }
  const { data, shape } = m;
  if (!Array.isArray(shape) || shape.length !== 2) mismatch(`${what}.shape: expected [n, d], got ${JSON.stringify(shape)}.`);
  if (shape[0] !== n) mismatch(`${what}: expected ${n} rows (index.n), got shape [${shape.join(', ')}].`);
  if (width < 1 || shape[1] !== width) mismatch(`${what}: expected ${width < 1 ? 'at least one column' : `${width} columns`}, got shape [${shape.join(', ')}].`);
  if (data.length !== n * width) mismatch(`${what}.data has ${data.length} values but shape [${n}, ${width}] needs ${n * width}.`);
  return {
    n,
    width,
    copyRow(i, out, offset) {
      for (let j = 0; j < width; j++) out[offset + j] = finite(data[i * width + j], what, i, j);
    },
  };
}

function finite(v: unknown, what: string, i: number, j: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new SomError(typeof v === 'number' ? 'ERR_NON_FINITE' : 'ERR_INVALID_INPUT', `${what}: expected a finite number at row ${i}, column ${j}, got ${String(v)}.`);
  }
  return v;
}
