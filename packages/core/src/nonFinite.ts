import { SomError } from '@somkit/plugin-api';

/** Throws the `ERR_NON_FINITE` error of a NaN or ±Infinity at row i, column j of `what`, with the fix. */
export function nonFinite(what: string, i: number, j: number, v: number): never {
  const fix = Number.isNaN(v)
    ? "Remove or impute missing values first, or create the SOM with missing: 'mask' to train and search over each sample's observed values."
    : '±Infinity is never a missing value: remove the row or fix the value.';
  throw new SomError('ERR_NON_FINITE', `Expected finite numbers in ${what}, got ${v} at row ${i}, column ${j}. ${fix}`, { details: { row: i, column: j } });
}
