import { SomError } from '@somkit/plugin-api';
import { nonFinite } from './nonFinite.js';

/**
 * Counts the NaN cells of `a` [n, d] (missing values) and refuses ±Infinity and rows with no
 * observed value (nothing to place them by).
 * @throws SomError ERR_NON_FINITE | ERR_INVALID_INPUT
 */
export function countMissing(a: Float32Array, n: number, d: number, what: string): number {
  let missing = 0;
  for (let i = 0; i < n; i++) {
    let rowMissing = 0;
    for (let j = 0; j < d; j++) {
      const v = a[i * d + j]!;
      if (v - v === 0) continue;
      if (!Number.isNaN(v)) nonFinite(what, i, j, v);
      rowMissing++;
    }
    if (rowMissing === d) {
      throw new SomError('ERR_INVALID_INPUT', `Row ${i} of ${what} has no observed value (all ${d} features are missing): a SOM cannot place it. Drop the row (rows with every feature missing carry no information).`, { details: { row: i } });
    }
    missing += rowMissing;
  }
  return missing;
}
