import type { layers } from '@tensorflow/tfjs-layers';
import { SomError, type Topology } from '@somkit/plugin-api';

/** Activation of the hidden dense layers. `'none'` is the identity (Keras `activation=None`). */
export const ACTIVATIONS = ['none', 'relu', 'sigmoid', 'softmax', 'softplus', 'softsign', 'tanh', 'selu', 'elu', 'exponential'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Normalisation after each hidden Dense layer: batch norm, layer norm, both (batch then layer) or none. */
export const NORMALIZATIONS = ['none', 'batch', 'layer', 'both'] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];

/** How the prototypes are initialised at the first `fit`: PCA plane of the data, random data rows, or kept (Glorot-uniform from the constructor). */
export const INIT_MODES = ['pca', 'random', 'glorot'] as const;
export type A3SOMInit = (typeof INIT_MODES)[number];

/** Constructor options of {@link A3SOM}. Only `inputDim` and `nClasses` are required. */
export interface A3SOMOptions {
  /** Number of input features `d`. */
  inputDim: number;
  /** Number of classes `C` (≥ 2). Labels are 0 … C−1. */
  nClasses: number;
  /** Side of the square map: n×n prototypes (`u = n²`). Default 8. */
  n?: number;
  /** Number of hidden Dense layers of the default dense block. Default 3. */
  nHidden?: number;
  /** Units of each hidden Dense layer. Default `max(32, 2·nClasses)`. */
  hiddenUnits?: number;
  /** Initial neighbourhood temperature (grid units). Default 1.0. */
  Tmax?: number;
  /** Final neighbourhood temperature (grid units). Default 0.5. Must be ≤ Tmax. */
  Tmin?: number;
  /** Dropout rate after each hidden layer, in [0, 1). Default 0. */
  dropoutRate?: number;
  /** Activation of the hidden layers. Default 'none'. */
  act?: Activation;
  /** Enables abstention in `classify` (novel / ambiguous). Default false. */
  abstained?: boolean;
  /**
   * Custom tfjs-layers layers that replace the hidden stack (overrides `nHidden`, `hiddenUnits`,
   * `dropoutRate`, `act` and `normalization`). The output Dense(nClasses) + softmax is always
   * appended. Layers must be fresh (not used in another model). Default [].
   */
  denseBlock?: readonly layers.Layer[];
  /** Normalisation inside each hidden block. Default 'none'. */
  normalization?: Normalization;
  /** Map topology (grid geometry of `@somkit/core`'s `Grid`). Default 'rectangular'. */
  topology?: Topology;
  /** Prototype initialisation at the first `fit`. Default 'pca'. */
  init?: A3SOMInit;
  /** Seed of the prototype init, dense initialisers and shuffling. Default: drawn at random (see `getParams().seed`). */
  seed?: number;
}

/** Every constructor option resolved to its value. */
export interface A3SOMConfig {
  readonly inputDim: number;
  readonly nClasses: number;
  readonly n: number;
  readonly nHidden: number;
  readonly hiddenUnits: number;
  readonly Tmax: number;
  readonly Tmin: number;
  readonly dropoutRate: number;
  readonly act: Activation;
  readonly abstained: boolean;
  readonly normalization: Normalization;
  readonly topology: Topology;
  readonly init: A3SOMInit;
  readonly seed: number;
}

const KEYS = ['inputDim', 'nClasses', 'n', 'nHidden', 'hiddenUnits', 'Tmax', 'Tmin', 'dropoutRate', 'act', 'abstained', 'denseBlock', 'normalization', 'topology', 'init', 'seed'] as const;

function bad(message: string, field: string): never {
  throw new SomError('ERR_INVALID_CONFIG', message, { details: { field } });
}

function int(v: unknown, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) bad(`${field}: expected an integer ≥ ${min}, got ${JSON.stringify(v)}.`, field);
  return v;
}

function positive(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad(`${field}: expected a finite number > 0, got ${JSON.stringify(v)}.`, field);
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, choices: readonly T[]): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    bad(`${field}: expected one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(v)}.`, field);
  }
  return v as T;
}

/**
 * Validates constructor options and fills the defaults.
 * @throws SomError ERR_INVALID_CONFIG naming the field (unknown keys, ranges, Tmin > Tmax, unknown act/normalization listing the choices)
 */
export function resolveConfig(options: A3SOMOptions): A3SOMConfig {
  if (typeof options !== 'object' || options === null) bad(`A3SOM options: expected an object with at least {inputDim, nClasses}, got ${String(options)}.`, 'options');
  for (const key of Object.keys(options)) {
    if (!(KEYS as readonly string[]).includes(key)) bad(`Unknown A3SOM option '${key}'. Accepted options: ${KEYS.join(', ')}.`, key);
  }
  const o = options as A3SOMOptions & Record<string, unknown>;
  const inputDim = int(o.inputDim, 'inputDim', 1);
  const nClasses = int(o.nClasses, 'nClasses', 2);
  const n = int(o.n ?? 8, 'n', 1);
  const nHidden = int(o.nHidden ?? 3, 'nHidden', 0);
  const hiddenUnits = int(o.hiddenUnits ?? Math.max(32, 2 * nClasses), 'hiddenUnits', 1);
  const Tmax = positive(o.Tmax ?? 1.0, 'Tmax');
  const Tmin = positive(o.Tmin ?? 0.5, 'Tmin');
  if (Tmin > Tmax) bad(`Tmin: expected Tmin ≤ Tmax (the temperature decays from Tmax to Tmin), got Tmin=${Tmin} > Tmax=${Tmax}. Swap them.`, 'Tmin');
  const dropoutRate = o.dropoutRate ?? 0;
  if (typeof dropoutRate !== 'number' || !(dropoutRate >= 0 && dropoutRate < 1)) bad(`dropoutRate: expected a number in [0, 1), got ${JSON.stringify(dropoutRate)}.`, 'dropoutRate');
  const act = oneOf(o.act ?? 'none', 'act', ACTIVATIONS);
  const normalization = oneOf(o.normalization ?? 'none', 'normalization', NORMALIZATIONS);
  const topology = oneOf(o.topology ?? 'rectangular', 'topology', ['rectangular', 'hexagonal'] as const);
  const init = oneOf(o.init ?? 'pca', 'init', INIT_MODES);
  const abstained = o.abstained ?? false;
  if (typeof abstained !== 'boolean') bad(`abstained: expected true or false, got ${JSON.stringify(abstained)}.`, 'abstained');
  if (o.denseBlock !== undefined && !Array.isArray(o.denseBlock)) bad(`denseBlock: expected an array of tfjs-layers layers, got ${typeof o.denseBlock}.`, 'denseBlock');
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (typeof seed !== 'number' || !Number.isInteger(seed)) bad(`seed: expected an integer, got ${JSON.stringify(seed)}.`, 'seed');
  return { inputDim, nClasses, n, nHidden, hiddenUnits, Tmax, Tmin, dropoutRate, act, abstained, normalization, topology, init, seed };
}
