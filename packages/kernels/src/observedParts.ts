// Named imports: a bundler can then keep these ops in this lazily loaded chunk.
import { cast as tf_cast, div as tf_div, isNaN as tf_isNaN, logicalNot as tf_logicalNot, maximum as tf_maximum, sum as tf_sum, tidy as tf_tidy, where as tf_where, zerosLike as tf_zerosLike, type Tensor2D } from '@tensorflow/tfjs-core';

/**
 * The parts of samples with missing values that the masked distances need. Internal helper.
 * Call inside `tf_tidy`.
 * @param x - samples [n, d] with NaN at missing cells
 * @returns `filled` [n, d] (missing cells as 0), `mask` [n, d] (1 observed, 0 missing) and
 *   `scale` [n, 1] = d / observed, the factor that rescales a sum over the observed dimensions
 *   to all d (every row has at least one observed value: core checks before calling)
 */
export function observedParts(x: Tensor2D): { filled: Tensor2D; mask: Tensor2D; scale: Tensor2D } {
  const d = x.shape[1];
  const missing = tf_isNaN(x);
  const filled = tf_where(missing, tf_zerosLike(x), x) as Tensor2D;
  const mask = tf_cast(tf_logicalNot(missing), 'float32') as Tensor2D;
  const scale = tf_div(d, tf_maximum(tf_sum(mask, 1, true), 1)) as Tensor2D;
  return { filled, mask, scale };
}
