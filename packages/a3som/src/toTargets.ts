import * as tf from '@tensorflow/tfjs-core';
import { SomError } from '@somkit/plugin-api';

/**
 * Labels as accepted by `fit` / `evaluate`:
 * - integer labels, shape [n]: `0 … C−1`, with `-1` or `null` for an unlabelled row;
 * - one-hot (or soft) rows, shape [n, C]: an all-zero row is unlabelled;
 * - a rank-1 or rank-2 tensor of either kind.
 */
export type LabelInput =
  | readonly (number | null)[]
  | Int32Array
  | Float32Array
  | Float64Array
  | readonly (readonly number[])[]
  | { data: ArrayLike<number>; shape: readonly [number, number] }
  | tf.Tensor;

/** Validated labels. */
export interface Targets {
  /** Class per row, −1 when unlabelled, shape [n]. */
  labels: Int32Array;
  /** Row-major targets, all zeros when unlabelled, shape [n, C]. */
  targets: Float32Array;
  /** Number of labelled rows. */
  labelled: number;
}

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new SomError('ERR_INVALID_INPUT', message, details === undefined ? undefined : { details });
}

function fromLabels(values: ArrayLike<number | null>, n: number, C: number): Targets {
  if (values.length !== n) throw new SomError('ERR_SHAPE_MISMATCH', `Expected ${n} labels (one per row of x), got ${values.length}.`);
  const labels = new Int32Array(n);
  const targets = new Float32Array(n * C);
  let labelled = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || v === -1) {
      labels[i] = -1;
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) invalid(`Expected an integer label or -1/null (unlabelled) at row ${i}, got ${JSON.stringify(v)}.`, { row: i });
    if (v < -1 || v >= C) invalid(`Label ${v} at row ${i} is out of range: expected 0 … ${C - 1} (nClasses = ${C}) or -1/null for an unlabelled row.`, { row: i });
    labels[i] = v;
    targets[i * C + v] = 1;
    labelled++;
  }
  return { labels, targets, labelled };
}

function fromRows(values: ArrayLike<number>, n: number, rows: number, cols: number, C: number): Targets {
  if (rows !== n) throw new SomError('ERR_SHAPE_MISMATCH', `Expected ${n} label rows (one per row of x), got ${rows}.`);
  if (cols !== C) throw new SomError('ERR_SHAPE_MISMATCH', `Expected one-hot labels of shape [n, ${C}] (nClasses = ${C}), got [${rows}, ${cols}].`);
  const labels = new Int32Array(n);
  const targets = new Float32Array(n * C);
  let labelled = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestV = 0;
    for (let c = 0; c < C; c++) {
      const v = values[i * C + c]!;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) invalid(`Expected non-negative finite one-hot values, got ${v} at row ${i}, column ${c}.`, { row: i, column: c });
      targets[i * C + c] = v;
      if (v > bestV) [best, bestV] = [c, v];
    }
    labels[i] = best;
    if (best >= 0) labelled++;
  }
  return { labels, targets, labelled };
}

/**
 * Validates labels against `n` rows and `C` classes.
 * @throws SomError ERR_INVALID_INPUT (label ≥ C, non-integer, negative one-hot) | ERR_SHAPE_MISMATCH (wrong length or width)
 */
export async function toTargets(y: LabelInput, n: number, C: number): Promise<Targets> {
  if (y instanceof tf.Tensor) {
    const values = await y.data();
    if (y.rank === 1) return fromLabels(Array.from(values), n, C);
    if (y.rank === 2) return fromRows(values, n, y.shape[0]!, y.shape[1]!, C);
    throw new SomError('ERR_SHAPE_MISMATCH', `Expected labels of shape [n] or [n, ${C}], got a rank-${y.rank} tensor.`);
  }
  if (ArrayBuffer.isView(y)) return fromLabels(y as Int32Array, n, C);
  if (Array.isArray(y)) {
    const first = y.find((v) => v !== null);
    if (Array.isArray(first) || ArrayBuffer.isView(first)) {
      const rows = y as readonly (readonly number[])[];
      const flat = new Float64Array(rows.length * C);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        if (!Array.isArray(r) && !ArrayBuffer.isView(r)) invalid(`Expected row ${i} of the one-hot labels to be an array of ${C} numbers, got ${r === null ? 'null' : typeof r}.`, { row: i });
        if (r.length !== C) throw new SomError('ERR_SHAPE_MISMATCH', `Expected one-hot labels of shape [n, ${C}] (nClasses = ${C}), got a row of length ${r.length} at row ${i}.`);
        for (let c = 0; c < C; c++) flat[i * C + c] = r[c]!;
      }
      return fromRows(flat, n, rows.length, C, C);
    }
    return fromLabels(y as readonly (number | null)[], n, C);
  }
  if (typeof y === 'object' && y !== null && 'data' in y && 'shape' in y) {
    const { data, shape } = y;
    if (!Array.isArray(shape) || shape.length !== 2) throw new SomError('ERR_SHAPE_MISMATCH', `Expected labels {data, shape: [n, ${C}]}, got shape ${JSON.stringify(shape)}.`);
    if (data.length !== shape[0] * shape[1]) throw new SomError('ERR_SHAPE_MISMATCH', `labels.data has ${data.length} values but shape [${shape[0]}, ${shape[1]}] needs ${shape[0] * shape[1]}.`);
    return fromRows(data, n, shape[0], shape[1], C);
  }
  return invalid(`Expected labels as an array of class ids (-1/null = unlabelled), one-hot rows, {data, shape} or a tensor, got ${y === null ? 'null' : typeof y}.`);
}
