import { SomError } from '@somkit/plugin-api';

/**
 * Validates per-point weights (for a codebook: the hit count of each unit) once at the public
 * boundary and copies them into float64.
 *
 * @param weights - [n] finite, non-negative, at least one positive
 * @param n - number of points (units) the weights must match
 * @throws SomError ERR_SHAPE_MISMATCH (length ≠ n), ERR_NON_FINITE (NaN/±Infinity),
 *   ERR_INVALID_INPUT (not an array, a negative value, or every weight zero)
 */
export function unitWeights(weights: ArrayLike<number>, n: number, what = 'weights'): Float64Array {
  if (weights === null || typeof weights !== 'object' || typeof weights.length !== 'number') {
    throw new SomError('ERR_INVALID_INPUT', `${what}: expected an array of ${n} non-negative numbers (one per unit, e.g. hit counts), got ${weights === null ? 'null' : typeof weights}.`);
  }
  if (weights.length !== n) {
    throw new SomError('ERR_SHAPE_MISMATCH', `${what}: expected ${n} values (one per unit), got ${weights.length}. Pass hitCounts(await som.identifyBmus(data), som.units).`);
  }
  const out = new Float64Array(n);
  let positive = 0;
  for (let i = 0; i < n; i++) {
    const v = weights[i];
    if (typeof v !== 'number') throw new SomError('ERR_INVALID_INPUT', `${what}: expected a number at index ${i}, got ${v === null ? 'null' : typeof v}.`);
    if (!Number.isFinite(v)) throw new SomError('ERR_NON_FINITE', `${what}: expected finite values, got ${v} at index ${i}.`, { details: { index: i } });
    if (v < 0) throw new SomError('ERR_INVALID_INPUT', `${what}: expected non-negative values (hit counts), got ${v} at index ${i}.`, { details: { index: i } });
    if (v > 0) positive++;
    out[i] = v;
  }
  if (positive === 0) {
    throw new SomError('ERR_INVALID_INPUT', `${what}: every one of the ${n} weights is 0, so no unit carries data. Compute the hits from the data the map was trained on, or omit weights.`);
  }
  return out;
}

/** Number of strictly positive entries. */
export function countPositive(w: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < w.length; i++) if (w[i]! > 0) c++;
  return c;
}
