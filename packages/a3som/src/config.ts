import type { layers } from '@tensorflow/tfjs-layers';
import { SomError, type Topology } from '@somkit/plugin-api';
import { shown } from './shown.js';

/** An activation by name (Keras names). `'none'` is the identity (Keras `activation=None`). */
export const ACTIVATIONS = ['none', 'relu', 'sigmoid', 'softmax', 'softplus', 'softsign', 'tanh', 'selu', 'elu', 'exponential'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Normalisation after each hidden Dense layer: batch norm, layer norm, both (batch then layer) or none. */
export const NORMALIZATIONS = ['none', 'batch', 'layer', 'both'] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];

/**
 * What the SOM layer outputs, before `act`: `'gaussian'` (default) — a Gaussian of the squared
 * distances, standardised per sample (see `somActivation`); `'distances'` — the squared
 * distances themselves (DESOM's `SOMLayer`). The dense block learns far better from the first
 * (digits, 5-fold CV: 95.8 % against 71.3 %; see the package README's evaluation).
 */
export const SOM_OUTPUTS = ['distances', 'gaussian'] as const;
export type SomOutput = (typeof SOM_OUTPUTS)[number];

/**
 * Smallest usable temperature: the kernel is `exp(−δ² / T²)` in float32, and `1/T²` overflows
 * float32 (≈ 3.4e38) below T ≈ 5.4e−20 (NaN loss, NaN prototypes); a margin of 100× is kept.
 */
export const MIN_TEMPERATURE = 1e-18;

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
  /**
   * Activation applied to the output of the SOM layer (A3SOM API doc), i.e. to what the dense
   * block sees. Default 'none'. With `somOutput: 'distances'` (≥ 0), `'relu'` is the identity.
   */
  act?: Activation;
  /** What the SOM layer outputs before `act`: `'gaussian'` (default) or `'distances'`. */
  somOutput?: SomOutput;
  /** Activation of the hidden Dense layers of the default block (not in the original API). Default 'none' (Keras Dense default). */
  hiddenAct?: Activation;
  /** Enables abstention in `classify` (novel / ambiguous). Default false. */
  abstained?: boolean;
  /**
   * Custom tfjs-layers layers that replace the hidden stack (overrides `nHidden`, `hiddenUnits`,
   * `dropoutRate` and `hiddenAct`, as the API doc says; `act` still applies to the SOM output;
   * `normalization` other than 'none' is refused). The output Dense(nClasses) + softmax is
   * always appended. Layers must be fresh (not used in another model). Default [].
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
  readonly somOutput: SomOutput;
  readonly hiddenAct: Activation;
  readonly abstained: boolean;
  readonly normalization: Normalization;
  readonly topology: Topology;
  readonly init: A3SOMInit;
  readonly seed: number;
}

const KEYS = ['inputDim', 'nClasses', 'n', 'nHidden', 'hiddenUnits', 'Tmax', 'Tmin', 'dropoutRate', 'act', 'somOutput', 'hiddenAct', 'abstained', 'denseBlock', 'normalization', 'topology', 'init', 'seed'] as const;

function bad(message: string, field: string): never {
  throw new SomError('ERR_INVALID_CONFIG', message, { details: { field } });
}

function int(v: unknown, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) bad(`${field}: expected an integer ≥ ${min}, got ${shown(v)}.`, field);
  return v;
}

/** A temperature: finite and ≥ {@link MIN_TEMPERATURE}. */
function temperatureValue(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad(`${field}: expected a finite number ≥ ${MIN_TEMPERATURE} (grid units), got ${shown(v)}.`, field);
  if (v < MIN_TEMPERATURE) bad(`${field}: expected a temperature in [${MIN_TEMPERATURE}, ∞) (grid units), got ${shown(v)}: below that the kernel exp(−δ²/T²) overflows float32 and training gives NaN. Use e.g. ${field}: 0.01 for a near winner-take-all map.`, field);
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, choices: readonly T[]): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    bad(`${field}: expected one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${shown(v)}.`, field);
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
  const Tmax = temperatureValue(o.Tmax ?? 1.0, 'Tmax');
  const Tmin = temperatureValue(o.Tmin ?? 0.5, 'Tmin');
  if (Tmin > Tmax) bad(`Tmin: expected Tmin ≤ Tmax (the temperature decays from Tmax to Tmin), got Tmin=${Tmin} > Tmax=${Tmax}. Swap them.`, 'Tmin');
  const dropoutRate = o.dropoutRate ?? 0;
  if (typeof dropoutRate !== 'number' || !(dropoutRate >= 0 && dropoutRate < 1)) bad(`dropoutRate: expected a number in [0, 1), got ${shown(dropoutRate)}.`, 'dropoutRate');
  const act = oneOf(o.act ?? 'none', 'act', ACTIVATIONS);
  const somOutput = oneOf(o.somOutput ?? 'gaussian', 'somOutput', SOM_OUTPUTS);
  const hiddenAct = oneOf(o.hiddenAct ?? 'none', 'hiddenAct', ACTIVATIONS);
  const normalization = oneOf(o.normalization ?? 'none', 'normalization', NORMALIZATIONS);
  const topology = oneOf(o.topology ?? 'rectangular', 'topology', ['rectangular', 'hexagonal'] as const);
  const init = oneOf(o.init ?? 'pca', 'init', INIT_MODES);
  const abstained = o.abstained ?? false;
  if (typeof abstained !== 'boolean') bad(`abstained: expected true or false, got ${shown(abstained)}.`, 'abstained');
  if (o.denseBlock !== undefined && !Array.isArray(o.denseBlock)) bad(`denseBlock: expected an array of tfjs-layers layers, got ${typeof o.denseBlock}.`, 'denseBlock');
  if (Array.isArray(o.denseBlock) && o.denseBlock.length > 0 && normalization !== 'none') {
    bad(`normalization: '${normalization}' applies inside the default hidden blocks, which a custom denseBlock replaces; got both. Put the normalisation layers into your denseBlock (e.g. tf.layers.batchNormalization()) and leave normalization 'none'.`, 'normalization');
  }
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (typeof seed !== 'number' || !Number.isInteger(seed)) bad(`seed: expected an integer, got ${shown(seed)}.`, 'seed');
  return { inputDim, nClasses, n, nHidden, hiddenUnits, Tmax, Tmin, dropoutRate, act, somOutput, hiddenAct, abstained, normalization, topology, init, seed };
}
