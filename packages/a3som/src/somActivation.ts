import * as tf from '@tensorflow/tfjs-core';

/**
 * The SOM-derived representation fed to the dense block (the map's "activation pattern"): a
 * Gaussian (RBF) activation of the squared distances, `g_k = exp(−d_k / s)`, standardised across
 * the u prototypes of each sample, `a_k = (g_k − mean_k g) / sqrt(var_k g + 1e−6)`. `s` is the
 * data's total variance (Σ_j var(x_j), measured at the first `fit`; equals `d` for standardised
 * data). The standardisation (a parameter-free layer norm) centres the all-positive Gaussian
 * code, which the dense layers learn from much faster. Distances are shifted by their row
 * minimum before the exponential: the shift cancels in the standardisation and avoids underflow
 * for samples far from every prototype. Gradients flow back into the prototypes.
 * @param d - squared distances, shape [n, u]
 * @param scale - s > 0
 * @returns [n, u] activations, zero mean and unit variance per row
 */
export function somActivation(d: tf.Tensor2D, scale: number): tf.Tensor2D {
  return tf.tidy(() => {
    const g = tf.exp(tf.mul(tf.sub(d, tf.min(d, 1, true)), -1 / scale));
    const { mean, variance } = tf.moments(g, 1, true);
    return tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, 1e-6))) as tf.Tensor2D;
  });
}
