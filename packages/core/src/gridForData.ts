import * as tf from '@tensorflow/tfjs-core';
import { SomError } from '@somkit/plugin-api';
import type { SomOptions } from './config.js';
import { suggestGrid } from './suggestGrid.js';
import type { MatrixInput } from './toMatrix.js';

/** Features per sample of a data input (validated as everywhere). */
async function dimsOf(data: MatrixInput): Promise<number> {
  if (data instanceof tf.Tensor) return data.shape[1] ?? 0;
  if (Array.isArray(data)) return (data as readonly (readonly number[])[])[0]?.length ?? 0;
  return (data as { shape: readonly number[] }).shape[1] ?? 0;
}

/**
 * The grid and width `SOM.forData` builds a SOM with: `dims` from the data's columns, `rows`/`cols`
 * as given or from {@link suggestGrid} (one given: the other from the same unit count).
 * @throws SomError ERR_SHAPE_MISMATCH when `options.dims` disagrees with the data
 */
export async function gridForData(data: MatrixInput, options: Partial<Pick<SomOptions, 'rows' | 'cols' | 'dims' | 'topology' | 'missing'>>): Promise<{ rows: number; cols: number; dims: number }> {
  const s = await suggestGrid(data, { topology: options.topology, allowMissing: options.missing === 'mask' });
  const dims = await dimsOf(data);
  if (options.dims !== undefined && options.dims !== dims) {
    throw new SomError('ERR_SHAPE_MISMATCH', `SOM.forData: options.dims is ${String(options.dims)} but the data have ${dims} features. Drop dims (it is read from the data) or pass data of ${String(options.dims)} columns.`);
  }
  const given = (v: number | undefined): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : undefined);
  const r = given(options.rows);
  const c = given(options.cols);
  const rows = options.rows ?? (c !== undefined ? Math.max(1, Math.round(s.units / c)) : s.rows);
  const cols = options.cols ?? (r !== undefined ? Math.max(1, Math.round(s.units / r)) : s.cols);
  return { rows, cols, dims };
}
