import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { A3SOMConfig } from './config.js';
import { ExponentialLayer, registerExponentialLayer } from './exponentialLayer.js';

type Layer = tfl.layers.Layer;

/** One row of the Keras-style summary. */
export interface LayerRow {
  readonly name: string;
  readonly type: string;
  readonly outputShape: string;
  readonly params: number;
  readonly trainableParams: number;
}

function hiddenLayers(config: A3SOMConfig): Layer[] {
  const out: Layer[] = [];
  const { nHidden, hiddenUnits, hiddenAct: act, normalization, dropoutRate, seed } = config;
  const separateActivation = normalization !== 'none' || act === 'exponential';
  for (let i = 1; i <= nHidden; i++) {
    out.push(
      tfl.layers.dense({
        name: `hidden_${i}`,
        units: hiddenUnits,
        activation: separateActivation || act === 'none' ? 'linear' : act,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 101 * i }),
      }),
    );
    if (normalization === 'batch' || normalization === 'both') out.push(tfl.layers.batchNormalization({ name: `batch_norm_${i}` }));
    if (normalization === 'layer' || normalization === 'both') out.push(tfl.layers.layerNormalization({ name: `layer_norm_${i}` }));
    if (separateActivation && act !== 'none') {
      out.push(act === 'exponential' ? new ExponentialLayer({ name: `activation_${i}` }) : tfl.layers.activation({ name: `activation_${i}`, activation: act }));
    }
    // Dropout is not seeded: a fixed tfjs dropout seed would reuse the same mask at every step.
    if (dropoutRate > 0) out.push(tfl.layers.dropout({ name: `dropout_${i}`, rate: dropoutRate }));
  }
  return out;
}

/**
 * The dense part of A3SOM: hidden layers (default block or a custom `denseBlock`) and a final
 * `Dense(nClasses)` producing logits; softmax is applied by the caller. Wrapped in a functional
 * tfjs-layers model for summary and serialisation; layers are applied eagerly, one after the
 * other, so the `training` flag reaches dropout and batch norm.
 */
export class DenseHead {
  readonly model: tfl.LayersModel;
  readonly layers: readonly Layer[];
  readonly custom: boolean;

  private constructor(model: tfl.LayersModel, custom: boolean) {
    this.model = model;
    // layers[0] is the InputLayer.
    this.layers = model.layers.slice(1);
    this.custom = custom;
  }

  /**
   * Builds a fresh head for `inputs` SOM activations.
   * @param inputs - width of the SOM representation `u`
   */
  static create(config: A3SOMConfig, inputs: number, denseBlock: readonly Layer[]): DenseHead {
    registerExponentialLayer();
    const custom = denseBlock.length > 0;
    const stack = custom ? [...denseBlock] : hiddenLayers(config);
    stack.push(tfl.layers.dense({ name: 'logits', units: config.nClasses, activation: 'linear', kernelInitializer: tfl.initializers.glorotUniform({ seed: config.seed + 7 }) }));
    const input = tfl.input({ shape: [inputs], name: 'som_activation' });
    let h: tfl.SymbolicTensor = input;
    for (const layer of stack) h = layer.apply(h) as tfl.SymbolicTensor;
    return new DenseHead(tfl.model({ inputs: input, outputs: h, name: 'dense_block' }), custom);
  }

  /** Rebuilds a head from its serialised topology (`model.toJSON(null, false)`). */
  static async fromTopology(topology: object, custom: boolean): Promise<DenseHead> {
    registerExponentialLayer();
    const model = await tfl.models.modelFromJSON(topology as Parameters<typeof tfl.models.modelFromJSON>[0]);
    return new DenseHead(model, custom);
  }

  /**
   * Logits of the dense block. Tidy-safe.
   * @param a - SOM activations, shape [n, u]
   * @param training - dropout / batch-norm training behaviour
   * @returns [n, C] logits
   */
  forward(a: tf.Tensor2D, training: boolean): tf.Tensor2D {
    let h: tf.Tensor = a;
    for (const layer of this.layers) h = layer.apply(h, { training }) as tf.Tensor;
    return h as tf.Tensor2D;
  }

  /** Trainable variables (optimised by the dense optimizer). */
  trainableVariables(): tf.Variable[] {
    return this.model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /** Dense kernels (the L2 regulariser's targets). */
  kernels(): tf.Variable[] {
    return this.model.trainableWeights.filter((w) => /(^|\/)kernel(_\d+)?$/.test(w.originalName)).map((w) => w.read() as tf.Variable);
  }

  /** Serialisable topology. */
  topology(): object {
    return this.model.toJSON(null, false) as object;
  }

  /** All weights (trainable and not), in `model.weights` order: the live variables (do not dispose). */
  getWeights(): tf.Tensor[] {
    return this.model.getWeights();
  }

  /** Sets all weights, in `model.weights` order. */
  setWeights(weights: tf.Tensor[]): void {
    this.model.setWeights(weights);
  }

  /** Summary rows of the layers after the input. */
  rows(): LayerRow[] {
    return this.layers.map((l) => {
      const shape = l.outputShape;
      const trainable = l.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
      return {
        name: l.name,
        type: l.getClassName(),
        outputShape: JSON.stringify(shape).replace(/,/g, ', '),
        params: l.countParams(),
        trainableParams: trainable,
      };
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}
