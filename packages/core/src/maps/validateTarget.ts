import { SomError } from '@somkit/plugin-api';
import type { MapTarget } from './MapOptions.js';

/**
 * Checks a per-sample target at the public boundary and copies it to float64.
 * @param target - [n] values or class ids
 * @param n - number of samples (BMUs)
 * @param why - what needs the target, for the error message
 * @returns [n] float64 copy
 * @throws SomError ERR_INVALID_INPUT (missing or not numeric), ERR_SHAPE_MISMATCH, ERR_NON_FINITE
 */
export function validateTarget(target: MapTarget | undefined, n: number, why: string): Float64Array {
  if (target === undefined) {
    throw new SomError('ERR_INVALID_INPUT', `${why} needs a target: pass target, one number per sample ([${n}]: class ids for 'classification', values for 'metric'/'score'/'rank').`);
  }
  if (!Array.isArray(target) && !ArrayBuffer.isView(target)) {
    throw new SomError('ERR_INVALID_INPUT', `${why}: expected target as number[], Float32Array, Float64Array or Int32Array, got ${target === null ? 'null' : typeof target}.`);
  }
  if (target.length !== n) {
    throw new SomError('ERR_SHAPE_MISMATCH', `${why}: expected target of length ${n} (one value per sample), got ${target.length}.`, { details: { expected: n, got: target.length } });
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = target[i];
    if (typeof v !== 'number') {
      throw new SomError('ERR_INVALID_INPUT', `${why}: expected a number at target[${i}], got ${v === null ? 'null' : typeof v}.`, { details: { index: i } });
    }
    if (!Number.isFinite(v)) {
      throw new SomError('ERR_NON_FINITE', `${why}: expected finite target values, got ${v} at target[${i}]. Remove or impute those samples first.`, { details: { index: i } });
    }
    out[i] = v;
  }
  return out;
}
