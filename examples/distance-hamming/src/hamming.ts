import * as tf from '@tensorflow/tfjs-core';
import { defineDistance, SomError } from '@somkit/plugin-api';

/** Options of {@link hamming}. JSON only: they are stored in model files. */
export interface HammingOptions {
  /** A feature counts as 1 when it is ≥ `threshold`, else 0. Default 0.5 (for 0/1 data). */
  threshold?: number;
}

/**
 * Hamming distance for binary data: the number of features where the binarised sample and the
 * binarised codebook vector differ. Registry name `'somkit-distance-hamming/hamming'`.
 *
 * Both sides are binarised at `threshold`, so the codebook (which training keeps continuous, in
 * [0, 1] for 0/1 data) is compared by its majority bits. Computed as
 * Σbx + Σbw − 2·bx·bwᵀ: one matrix product, exact integers in float32 (for fewer than 2²⁴ features).
 * There is no `prepare`: search backends call `pairwise` per chunk of samples.
 *
 * ```ts
 * const d = hamming().pairwise(x, w); // x [n, d], w [u, d] → [n, u] mismatch counts
 * ```
 */
export const hamming = defineDistance<HammingOptions | undefined>('somkit-distance-hamming/hamming', (options) => {
  const threshold = options?.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new SomError('ERR_INVALID_CONFIG', `Expected hamming option 'threshold' to be a finite number, got ${String(threshold)}. To fix: pass e.g. hamming({ threshold: 0.5 }).`);
  }
  return {
    pairwise: (x, w) =>
      tf.tidy(() => {
        // 0/1 copies: [n, d] and [u, d].
        const bx = tf.cast(tf.greaterEqual(x, threshold), 'float32');
        const bw = tf.cast(tf.greaterEqual(w, threshold), 'float32');
        // Ones per row: [n, 1] and [1, u].
        const onesX = tf.sum(bx, 1, true);
        const onesW = tf.reshape(tf.sum(bw, 1), [1, -1]);
        // Shared ones [n, u]; transpose first (matMul with transposeB is slow on wasm).
        const shared = tf.matMul(bx, tf.transpose(bw));
        return tf.sub(tf.add(onesX, onesW), tf.mul(shared, 2)) as tf.Tensor2D;
      }),
  };
});
