import * as tf from '@tensorflow/tfjs-core';
import type { PreparedDistance } from '@somkit/plugin-api';

/**
 * Pairwise distances through a preparation: prepare → score → toDistance → dispose. Internal helper
 * shared by the distances that have a `prepare` fast path, so both routes give identical numbers.
 *
 * @param x - samples, shape [n, d]; not disposed
 * @param w - codebook, shape [u, d]; not disposed
 * @param prepare - the distance's `prepare`
 * @returns [n, u] distances, owned by the caller
 */
export function pairwiseFromPrepared(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  prepare: (w: tf.Tensor2D) => PreparedDistance,
): tf.Tensor2D {
  return tf.tidy(() => {
    const p = prepare(w);
    try {
      return p.toDistance(p.score(x));
    } finally {
      p.dispose();
    }
  });
}
