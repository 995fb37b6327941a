import * as tf from '@tensorflow/tfjs-core';

/**
 * Categorical cross-entropy over labelled rows only:
 * `CE = Σ_i s_i · (−Σ_c t_ic · log softmax(z_i)_c) / max(1, Σ_i m_i)`,
 * where unlabelled rows have an all-zero target `t_i` and mask `m_i = 0`, so they contribute
 * exactly zero loss and zero gradient. `s_i` is the sample weight (class weight × mask). The mean
 * is over the labelled rows of the batch (a batch without labels gives CE = 0).
 * @param logits - pre-softmax outputs, shape [n, C]
 * @param targets - one-hot (or soft) targets, all zeros when unlabelled, shape [n, C]
 * @param sampleWeight - per-row weight, 0 for unlabelled rows, shape [n]
 * @param mask - 1 for labelled rows, 0 otherwise, shape [n]
 * @returns scalar
 */
export function maskedCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D, sampleWeight: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const perRow = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1)); // [n]
    const count = tf.maximum(tf.sum(mask), 1);
    return tf.div(tf.sum(tf.mul(perRow, sampleWeight)), count) as tf.Scalar;
  });
}
