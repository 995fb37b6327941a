import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './config.js';

/**
 * An activation by its Keras name, as tensor ops (differentiable; tidy-safe). A3SOM applies
 * `act` with it to the SOM layer's output. `'softmax'` normalises over the last axis (the u
 * prototypes); `'none'` returns the input itself.
 * @param x - shape [n, u]
 * @returns [n, u]
 */
export function activate(x: tf.Tensor2D, act: Activation): tf.Tensor2D {
  switch (act) {
    case 'none':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'softmax':
      return tf.softmax(x);
    case 'softplus':
      return tf.softplus(x);
    case 'softsign':
      return tf.tidy(() => tf.div(x, tf.add(tf.abs(x), 1)));
    case 'tanh':
      return tf.tanh(x);
    case 'selu':
      return tf.selu(x);
    case 'elu':
      return tf.elu(x);
    case 'exponential':
      return tf.exp(x);
  }
}
