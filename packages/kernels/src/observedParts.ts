import * as tf from '@tensorflow/tfjs-core';

/**
 * The parts of samples with missing values that the masked distances need. Internal helper.
 * Call inside `tf.tidy`.
 * @param x - samples [n, d] with NaN at missing cells
 * @returns `filled` [n, d] (missing cells as 0), `mask` [n, d] (1 observed, 0 missing) and
 *   `scale` [n, 1] = d / observed, the factor that rescales a sum over the observed dimensions
 *   to all d (every row has at least one observed value: core checks before calling)
 */
export function observedParts(x: tf.Tensor2D): { filled: tf.Tensor2D; mask: tf.Tensor2D; scale: tf.Tensor2D } {
  const d = x.shape[1];
  const missing = tf.isNaN(x);
  const filled = tf.where(missing, tf.zerosLike(x), x) as tf.Tensor2D;
  const mask = tf.cast(tf.logicalNot(missing), 'float32') as tf.Tensor2D;
  const scale = tf.div(d, tf.maximum(tf.sum(mask, 1, true), 1)) as tf.Tensor2D;
  return { filled, mask, scale };
}
