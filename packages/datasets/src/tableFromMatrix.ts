import { SomError } from '@somkit/plugin-api';
import type { Table, TableColumn } from './Table.js';

/**
 * A {@link Table} of numeric feature columns from a row-major [n, d] matrix (e.g. a `.npy` file),
 * so `fitPreprocessing` and `Preprocessing.transform` work on it. NaN cells are missing.
 *
 * ```ts
 * const t = tableFromMatrix(Float32Array.from([1, 2, NaN, 4]), 2, 2);   // columns '0', '1'; t.columns[0].missing === 1
 * ```
 * @param data - values, shape [n, d]
 * @param names - column names, length d; default `'0'`, `'1'`, …
 * @throws SomError `ERR_SHAPE_MISMATCH` when `data.length !== n · d` or `names` has another length
 */
export function tableFromMatrix(data: ArrayLike<number>, n: number, d: number, names?: readonly string[]): Table {
  if (data.length !== n * d || (names !== undefined && names.length !== d)) {
    throw new SomError('ERR_SHAPE_MISMATCH', `Expected ${n} × ${d} = ${n * d} values and ${d} names, got ${data.length} values and ${names?.length ?? d} names.`);
  }
  const columns: TableColumn[] = [];
  for (let j = 0; j < d; j++) {
    const values = new Float64Array(n);
    let missing = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = data[i * d + j]!;
      values[i] = v;
      if (Number.isNaN(v)) missing++;
      else {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    columns.push({ name: names?.[j] ?? String(j), type: 'numeric', role: 'feature', missing, values, ...(min <= max ? { min, max } : {}) });
  }
  return { n, columns, lines: Int32Array.from({ length: n }, (_, i) => i + 1), missingValues: [] };
}
