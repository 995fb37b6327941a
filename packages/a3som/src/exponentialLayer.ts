import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * `exp(x)` as a tfjs-layers layer: Keras's `'exponential'` activation, which tfjs-layers lacks.
 * Registered for serialisation under the class name `A3SOMExponential` by
 * {@link registerExponentialLayer}.
 */
export class ExponentialLayer extends tfl.layers.Layer {
  static readonly className = 'A3SOMExponential';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.exp(Array.isArray(inputs) ? inputs[0]! : inputs));
  }

  override getClassName(): string {
    return ExponentialLayer.className;
  }
}

let registered = false;

/** Registers {@link ExponentialLayer} with tfjs serialisation (idempotent). */
export function registerExponentialLayer(): void {
  if (registered) return;
  tf.serialization.registerClass(ExponentialLayer);
  registered = true;
}
