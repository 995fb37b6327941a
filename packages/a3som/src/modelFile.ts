import { nestsDeeperThan, SomError, type Json } from '@somkit/plugin-api';
import { base64ToFloat32 } from '@somkit/geometry';
import { ACTIVATIONS, INIT_MODES, MIN_TEMPERATURE, NORMALIZATIONS, SOM_OUTPUTS, type A3SOMConfig } from './config.js';
import { METRICS, type CompileConfig } from './compileConfig.js';
import { resolveAbstention, type AbstentionConfig } from './abstentionConfig.js';
import { base64ToInt32 } from './int32Base64.js';

/**
 * Format name and version written by {@link A3SOM.toJSON}. Version 2 (0.2) added
 * `config.somOutput` and `config.hiddenAct`; version 1 files load with their meaning then
 * (`act` was the hidden layers' activation, the SOM output a standardised Gaussian).
 */
export const A3SOM_FORMAT = 'somkit.a3som';
export const A3SOM_VERSION = 2;

/** A float32 tensor in a model file: shape and base64 little-endian bytes. */
export interface TensorJSON {
  name?: string;
  dtype: 'float32';
  shape: number[];
  data: string;
}

/** The JSON model file of an A3SOM (plain JSON: `JSON.stringify` it to store). */
export interface A3SOMModelJSON {
  format: typeof A3SOM_FORMAT;
  version: typeof A3SOM_VERSION;
  /** Constructor parameters; `customDenseBlock` tells that the head came from a `denseBlock`. */
  config: A3SOMConfig & { customDenseBlock: boolean };
  /** Compile parameters, or null when never compiled. */
  compile: CompileConfig | null;
  fitted: boolean;
  /** Scale s of the SOM activation exp(−d/s), or null before the first fit. */
  activationScale: number | null;
  /** Prototypes [u, d], row-major, unit = row·n + col. */
  prototypes: TensorJSON;
  /** The dense block: tfjs-layers topology JSON and every weight in `model.weights` order. */
  head: { topology: Json; weights: TensorJSON[] };
  /** Training-row statistics (BMU int32, distance float32, label int32; base64), or null before fit. */
  training: { n: number; bmu: string; distance: string; labels: string } | null;
  /** Abstention settings and the thresholds computed from the training rows (null before fit). */
  abstention: { config: AbstentionConfig; thresholds: { distanceGlobal: number; distanceLocal: string; prototypeMargin: string } | null };
}

/** Parsed, validated contents of a model file. */
export interface ParsedModel {
  config: A3SOMConfig;
  customDenseBlock: boolean;
  compile: CompileConfig | null;
  fitted: boolean;
  activationScale: number | null;
  prototypes: Float32Array;
  headTopology: object;
  headWeights: { shape: number[]; values: Float32Array }[];
  training: { bmu: Int32Array; distance: Float32Array; labels: Int32Array } | null;
  abstention: AbstentionConfig;
  thresholds: { distanceGlobal: number; distanceLocal: Float32Array; prototypeMargin: Float32Array } | null;
}

/**
 * The layer graph of a head topology, checked before tfjs-layers sees it: a layer name that is
 * not a string, or a node that points at no earlier layer, made `modelFromJSON` wait forever; an
 * input width other than the map's units would size the first kernel by the file, not the data.
 */
function checkTopology(t: Record<string, unknown>, units: number): void {
  if (typeof t['class_name'] !== 'string') fail('head.topology.class_name', 'a string', t['class_name']);
  const c = obj(t['config'], 'head.topology.config');
  const layers = c['layers'];
  if (!Array.isArray(layers) || layers.length === 0) fail('head.topology.config.layers', 'a non-empty array of layers', layers);
  const seen = new Set<string>();
  const ref = (r: unknown, path: string): void => {
    if (!Array.isArray(r) || r.length < 3 || typeof r[0] !== 'string' || !seen.has(r[0]) || !Number.isInteger(r[1]) || !Number.isInteger(r[2]) || (r[1] as number) < 0 || (r[2] as number) < 0) {
      fail(path, '[name of an earlier layer, node index, tensor index]', r);
    }
  };
  (layers as unknown[]).forEach((l, i) => {
    const path = `head.topology.config.layers[${i}]`;
    const layer = obj(l, path);
    const name = layer['name'];
    if (typeof name !== 'string' || name.length === 0 || seen.has(name)) fail(`${path}.name`, 'a unique non-empty string', name);
    if (typeof layer['class_name'] !== 'string') fail(`${path}.class_name`, 'a string', layer['class_name']);
    const config = obj(layer['config'], `${path}.config`);
    if (config['name'] !== undefined && config['name'] !== name) fail(`${path}.config.name`, `'${name}' (the layer's name)`, config['name']);
    const nodes = layer['inbound_nodes'];
    if (!Array.isArray(nodes)) fail(`${path}.inbound_nodes`, 'an array', nodes);
    (nodes as unknown[]).forEach((node, j) => {
      if (!Array.isArray(node)) fail(`${path}.inbound_nodes[${j}]`, 'an array of inputs', node);
      (node as unknown[]).forEach((r, k) => ref(r, `${path}.inbound_nodes[${j}][${k}]`));
    });
    if (i === 0) {
      const shape = config['batch_input_shape'];
      if (layer['class_name'] !== 'InputLayer' || !Array.isArray(shape) || shape.length !== 2 || shape[0] !== null || shape[1] !== units) {
        fail(`${path}`, `an InputLayer of batch_input_shape [null, ${units}] (the map's units)`, Array.isArray(shape) ? `[${shape.map(String).join(', ')}]` : shape, Array.isArray(shape));
      }
    }
    seen.add(name);
  });
  for (const k of ['input_layers', 'output_layers']) {
    const list = c[k];
    if (!Array.isArray(list) || list.length === 0) fail(`head.topology.config.${k}`, 'a non-empty array', list);
    (list as unknown[]).forEach((r, i) => ref(r, `head.topology.config.${k}[${i}]`));
  }
}

/** Parameters of the default dense head (hidden Dense + normalisation layers, then Dense(nClasses)) on `units` inputs. */
function defaultHeadParams(c: A3SOMConfig, units: number): number {
  let inputs = units;
  let total = 0;
  for (let i = 0; i < c.nHidden; i++) {
    total += inputs * c.hiddenUnits + c.hiddenUnits;
    if (c.normalization === 'batch' || c.normalization === 'both') total += 4 * c.hiddenUnits;
    if (c.normalization === 'layer' || c.normalization === 'both') total += 2 * c.hiddenUnits;
    inputs = c.hiddenUnits;
  }
  return total + inputs * c.nClasses + c.nClasses;
}

function fail(path: string, expected: string, got: unknown, described = false): never {
  const shown = described ? String(got) :
    got === undefined ? 'nothing' : typeof got === 'string' ? `'${got.length > 40 ? got.slice(0, 40) + '…' : got}'` : Array.isArray(got) ? `an array of length ${got.length}` : typeof got === 'object' && got !== null ? 'an object' : String(got);
  throw new SomError('ERR_MODEL_FORMAT', `Invalid A3SOM model file: ${path}: expected ${expected}, got ${shown}.`, { details: { path } });
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Record<string, unknown>;
}

function num(v: unknown, path: string, check: (x: number) => boolean = Number.isFinite, expected = 'a finite number'): number {
  if (typeof v !== 'number' || !check(v)) fail(path, expected, v);
  return v;
}

function intAtLeast(v: unknown, path: string, min: number): number {
  return num(v, path, (x) => Number.isInteger(x) && x >= min, `an integer ≥ ${min}`);
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'true or false', v);
  return v;
}

function choice<T extends string>(v: unknown, path: string, choices: readonly T[]): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) fail(path, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, v);
  return v as T;
}

function f32(v: unknown, path: string, length: number): Float32Array {
  if (typeof v !== 'string') fail(path, 'a base64 string', v);
  const out = base64ToFloat32(v);
  if (out === undefined) fail(path, 'valid base64 of float32 values', v);
  if (out.length !== length) fail(path, `${length} float32 values`, `${out.length} values`);
  return out;
}

function i32(v: unknown, path: string, length: number): Int32Array {
  if (typeof v !== 'string') fail(path, 'a base64 string', v);
  const out = base64ToInt32(v);
  if (out === undefined) fail(path, 'valid base64 of int32 values', v);
  if (out.length !== length) fail(path, `${length} int32 values`, `${out.length} values`);
  return out;
}

function tensor(v: unknown, path: string, expectedShape?: readonly number[]): { shape: number[]; values: Float32Array } {
  const t = obj(v, path);
  if (t['dtype'] !== 'float32') fail(`${path}.dtype`, "'float32'", t['dtype']);
  if (!Array.isArray(t['shape']) || !t['shape'].every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0)) fail(`${path}.shape`, 'an array of non-negative integers', t['shape']);
  const shape = t['shape'] as number[];
  if (expectedShape !== undefined && (shape.length !== expectedShape.length || shape.some((s, i) => s !== expectedShape[i]))) {
    fail(`${path}.shape`, `[${expectedShape.join(', ')}]`, `[${shape.join(', ')}]`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, values: f32(t['data'], `${path}.data`, size) };
}

/**
 * Validates a model file (object or JSON string) field by field.
 * @throws SomError ERR_MODEL_FORMAT naming the offending field
 */
export function parseModel(json: unknown): ParsedModel {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json) as unknown;
    } catch (e) {
      throw new SomError('ERR_MODEL_FORMAT', `Invalid A3SOM model file: not valid JSON (${(e as Error).message}).`, { cause: e });
    }
  }
  const root = obj(json, 'model');
  // A head topology nests ~8 levels; 10⁵ would overflow the recursive tfjs-layers deserialiser.
  if (nestsDeeperThan(root, 64)) fail('model', 'JSON nested at most 64 levels deep', 'a deeper value', true);
  if (root['format'] !== A3SOM_FORMAT) fail('format', `'${A3SOM_FORMAT}'`, root['format']);
  const version = root['version'];
  if (version !== A3SOM_VERSION && version !== 1) fail('version', `1 or ${A3SOM_VERSION} (this package reads versions 1 … ${A3SOM_VERSION}; upgrade @somkit/a3som for newer files)`, version);
  const c = obj(root['config'], 'config');
  const inputDim = intAtLeast(c['inputDim'], 'config.inputDim', 1);
  const nClasses = intAtLeast(c['nClasses'], 'config.nClasses', 2);
  const n = intAtLeast(c['n'], 'config.n', 1);
  const Tmax = num(c['Tmax'], 'config.Tmax', (x) => Number.isFinite(x) && x >= MIN_TEMPERATURE, `a finite number ≥ ${MIN_TEMPERATURE}`);
  const Tmin = num(c['Tmin'], 'config.Tmin', (x) => Number.isFinite(x) && x >= MIN_TEMPERATURE && x <= Tmax, `a number in [${MIN_TEMPERATURE}, Tmax=${Tmax}]`);
  // Version 1: `act` was the hidden layers' activation and the SOM output a standardised Gaussian.
  const act = choice(c['act'], 'config.act', ACTIVATIONS);
  const config: A3SOMConfig = {
    inputDim,
    nClasses,
    n,
    nHidden: intAtLeast(c['nHidden'], 'config.nHidden', 0),
    hiddenUnits: intAtLeast(c['hiddenUnits'], 'config.hiddenUnits', 1),
    Tmax,
    Tmin,
    dropoutRate: num(c['dropoutRate'], 'config.dropoutRate', (x) => x >= 0 && x < 1, 'a number in [0, 1)'),
    act: version === 1 ? 'none' : act,
    somOutput: version === 1 ? 'gaussian' : choice(c['somOutput'], 'config.somOutput', SOM_OUTPUTS),
    hiddenAct: version === 1 ? act : choice(c['hiddenAct'], 'config.hiddenAct', ACTIVATIONS),
    abstained: bool(c['abstained'], 'config.abstained'),
    normalization: choice(c['normalization'], 'config.normalization', NORMALIZATIONS),
    topology: choice(c['topology'], 'config.topology', ['rectangular', 'hexagonal'] as const),
    init: choice(c['init'], 'config.init', INIT_MODES),
    seed: num(c['seed'], 'config.seed', Number.isInteger, 'an integer'),
  };
  const customDenseBlock = bool(c['customDenseBlock'], 'config.customDenseBlock');
  let compile: CompileConfig | null = null;
  if (root['compile'] !== null) {
    const k = obj(root['compile'], 'compile');
    const lr = obj(k['learningRates'], 'compile.learningRates');
    const lw = obj(k['lossWeights'], 'compile.lossWeights');
    const nn = (x: number): boolean => Number.isFinite(x) && x >= 0;
    if (!Array.isArray(k['metrics'])) fail('compile.metrics', 'an array', k['metrics']);
    compile = {
      learningRates: { som: num(lr['som'], 'compile.learningRates.som', nn, 'a number ≥ 0'), dense: num(lr['dense'], 'compile.learningRates.dense', nn, 'a number ≥ 0') },
      lossWeights: { gamma: num(lw['gamma'], 'compile.lossWeights.gamma', nn, 'a number ≥ 0'), eta: num(lw['eta'], 'compile.lossWeights.eta', nn, 'a number ≥ 0') },
      metrics: (k['metrics'] as unknown[]).map((m, i) => choice(m, `compile.metrics[${i}]`, METRICS)),
    };
  }
  const fitted = bool(root['fitted'], 'fitted');
  const activationScale = root['activationScale'] === null ? null : num(root['activationScale'], 'activationScale', (x) => Number.isFinite(x) && x > 0, 'a number > 0 or null');
  if (fitted && activationScale === null) fail('activationScale', 'a number > 0 for a fitted model', null);
  const units = n * n;
  const p = tensor(root['prototypes'], 'prototypes', [units, inputDim]);
  const head = obj(root['head'], 'head');
  const headTopology = obj(head['topology'], 'head.topology');
  checkTopology(headTopology, units);
  if (!Array.isArray(head['weights'])) fail('head.weights', 'an array of tensors', head['weights']);
  const headWeights = (head['weights'] as unknown[]).map((w, i) => tensor(w, `head.weights[${i}]`));
  // Before anything is allocated: the default head's size follows from the config, and must be
  // the weights the file holds (a small file must not make the loader build a head of u × 10⁶).
  if (!customDenseBlock) {
    const expected = defaultHeadParams(config, units);
    const got = headWeights.reduce((sum, w) => sum + w.values.length, 0);
    if (got !== expected) fail('head.weights', `${expected} values in all (the default head of config.n = ${n}, nHidden = ${config.nHidden}, hiddenUnits = ${config.hiddenUnits}, nClasses = ${nClasses}, normalization '${config.normalization}')`, `${got} values`, true);
  }
  let training: ParsedModel['training'] = null;
  if (root['training'] !== null && root['training'] !== undefined) {
    const t = obj(root['training'], 'training');
    const rows = intAtLeast(t['n'], 'training.n', 0);
    const bmu = i32(t['bmu'], 'training.bmu', rows);
    for (let i = 0; i < rows; i++) if (bmu[i]! < 0 || bmu[i]! >= units) fail(`training.bmu[${i}]`, `a unit index in [0, ${units})`, bmu[i]);
    const labels = i32(t['labels'], 'training.labels', rows);
    for (let i = 0; i < rows; i++) if (labels[i]! < -1 || labels[i]! >= nClasses) fail(`training.labels[${i}]`, `a label in [-1, ${nClasses})`, labels[i]);
    training = { bmu, distance: f32(t['distance'], 'training.distance', rows), labels };
  }
  if (fitted && training === null) fail('training', 'training statistics for a fitted model', null);
  const a = obj(root['abstention'], 'abstention');
  let abstention: AbstentionConfig;
  try {
    abstention = resolveAbstention(obj(a['config'], 'abstention.config') as never);
  } catch (e) {
    const field = (e as SomError).details?.['field'];
    throw new SomError('ERR_MODEL_FORMAT', `Invalid A3SOM model file: abstention.config: ${(e as Error).message}`, { cause: e, details: { path: `abstention.config.${String(field)}` } });
  }
  let thresholds: ParsedModel['thresholds'] = null;
  if (a['thresholds'] !== null && a['thresholds'] !== undefined) {
    const th = obj(a['thresholds'], 'abstention.thresholds');
    thresholds = {
      distanceGlobal: num(th['distanceGlobal'], 'abstention.thresholds.distanceGlobal'),
      distanceLocal: f32(th['distanceLocal'], 'abstention.thresholds.distanceLocal', units),
      prototypeMargin: f32(th['prototypeMargin'], 'abstention.thresholds.prototypeMargin', units),
    };
  }
  return { config, customDenseBlock, compile, fitted, activationScale, prototypes: p.values, headTopology, headWeights, training, abstention, thresholds };
}
