import * as tf from '@tensorflow/tfjs-core';
import { defineDistance, SomError } from '@somkit/plugin-api';
import { broadcastPairwise } from './broadcastPairwise.js';
import { maskedBroadcastPairwise } from './maskedBroadcastPairwise.js';

/** Options of {@link minkowski}. */
export type MinkowskiOptions = {
  /** The order p ≥ 1 (finite): 1 is manhattan, 2 is euclidean. */
  p: number;
};

function checkP(options: MinkowskiOptions | undefined): number {
  const p = (options as { p?: unknown } | undefined)?.p;
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 1) {
    const got = options === undefined ? 'no options' : `p = ${typeof p === 'number' ? String(p) : typeof p}`;
    throw new SomError(
      'ERR_INVALID_CONFIG',
      `Expected minkowski options {p: number} with a finite p ≥ 1 (p < 1 is not a metric), got ${got}. ` +
        `To fix: pass e.g. minkowski({p: 3}); use 'chebyshev' for p = ∞.`,
      { details: { plugin: 'minkowski', option: 'p', value: p } },
    );
  }
  return p;
}

/**
 * Minkowski distance (Σ|x − w|ᵖ)^(1/p), registry name `'minkowski'`, options `{p}` with finite
 * p ≥ 1.
 *
 * For p ≠ 1 each row of |x − w| is divided by its maximum before the power and multiplied back
 * after it, so large p neither overflows nor underflows float32. Uses an explicit [n, u, d]
 * broadcast, chunked over samples to at most 4M elements per chunk.
 *
 * ```ts
 * const d = minkowski({ p: 3 }).pairwise(x, w); // x [n, d], w [u, d] → [n, u]
 * ```
 *
 * @throws SomError `ERR_INVALID_CONFIG` when p is missing, not finite or below 1
 */
export const minkowski = defineDistance<MinkowskiOptions>('minkowski', (options) => {
  const p = checkP(options);
  const reduce = (a: tf.Tensor3D): tf.Tensor2D => {
    // p = 1: plain sum over features, no powers.
    if (p === 1) return tf.sum(a, 2);
    // [c, u, 1]: per-pair scale m = max|x − w| (1 where all differences are 0).
    const m = tf.max(a, 2, true);
    const safe = tf.where(tf.greater(m, 0), m, tf.onesLike(m));
    // m · (Σ (|x − w| / m)^p)^(1/p) → [c, u]
    const s = tf.sum(tf.pow(tf.div(a, safe), p), 2);
    return tf.mul(tf.pow(s, 1 / p), tf.squeeze(m, [2])) as tf.Tensor2D;
  };
  return {
    pairwise: (x, w) => broadcastPairwise(x, w, reduce),
    // Missing values (NaN): over observed dimensions, × (d / observed)^(1/p).
    masked: { pairwise: (x, w) => maskedBroadcastPairwise(x, w, reduce, p) },
  };
});
