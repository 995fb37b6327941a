import * as tf from '@tensorflow/tfjs-core';

/**
 * The regulariser R of the A3SOM loss: L2 on the dense kernels, `R = Σ_layers ‖W‖²` (Keras
 * `kernel_regularizer=l2`, without a ½). Biases, normalisation parameters and prototypes are not
 * penalised.
 * @param kernels - dense kernel variables (any shapes)
 * @returns scalar (0 when there are none)
 */
export function l2Regularizer(kernels: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (kernels.length === 0) return tf.scalar(0);
    return tf.addN(kernels.map((k) => tf.sum(tf.square(k)))) as tf.Scalar;
  });
}
