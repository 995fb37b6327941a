import {
  isJson,
  logger,
  pluginSpec,
  registry,
  SomError,
  type DistancePlugin,
  type DistanceRef,
  type Json,
  type NeighborhoodPlugin,
  type NeighborhoodRef,
  type PluginKind,
  type PluginKinds,
  type PluginSpec,
  type SchedulePlugin,
  type ScheduleRef,
  type EngineRef,
  type SearchStrategy,
  type SearchRef,
  type Topology,
} from '@somkit/plugin-api';
import { asymptoticDecay, euclidean, exponentialDecay, gaussian } from '@somkit/kernels';
import { presetDefaults, SOM_PRESETS, type SomPreset } from './presets.js';

/** Training rules. Never call one by the other's name. */
export type TrainingRule = 'minibatch' | 'batch-map';
/** Codebook initialisation modes. */
export type InitMode = 'random' | 'pca' | 'kmeans' | 'kmeans_cosine';
/** What a NaN cell in the data means: an error (`'error'`) or a missing value to mask (`'mask'`). */
export type MissingRule = 'error' | 'mask';

/**
 * SOM settings: TorchSOM's parameters in camelCase. Plugins are given as objects (main API) or as
 * registry names / `{name, options}` (configs and model files). Options left out take the
 * defaults of `preset`: `'somkit'` (well-ordered maps: σ from the grid, PCA init, batch map) or
 * `'torchsom'` (TorchSOM's defaults exactly). To pick rows and cols from the data, use
 * `SOM.forData(data, options)` or `suggestGrid(data)`.
 */
export interface SomOptions {
  /** Grid rows (TorchSOM `x`). */
  rows: number;
  /** Grid columns (TorchSOM `y`). */
  cols: number;
  /** Features per sample (TorchSOM `num_features`). */
  dims: number;
  /**
   * Which defaults fill the options left out (never saved: model files hold the resolved values).
   * `'somkit'` (default): σ = max(1, max(rows, cols)/2) decaying exponentially to 1 at the last
   * epoch, `init: 'pca'` (random rows for one feature), `rule: 'batch-map'` (`'minibatch'` with a
   * kernel that takes negative values), batch size 32. `'torchsom'`: TorchSOM's defaults exactly
   * (σ 1, learning rate 0.5, `asymptotic_decay` for both, random init, `minibatch`, batch size 5),
   * the library's behaviour before somkit 0.x chose its own (see docs/porting-from-torchsom.md).
   */
  preset?: SomPreset;
  /** Epochs of `fit`. Default 10 (both presets). */
  epochs?: number;
  /**
   * Samples per weight update for `minibatch`; chunk size of the pass for `batch-map` (where it does
   * not change the result). Default 32; 5 with `preset: 'torchsom'`.
   */
  batchSize?: number;
  /**
   * Initial neighbourhood radius in grid units. Default max(1, max(rows, cols)/2); 1.0 with
   * `preset: 'torchsom'`.
   */
  sigma?: number;
  /** Initial learning rate (minibatch rule; batch-map has none). Default 0.5 (both presets). */
  learningRate?: number;
  /** Rings used by U-matrix, JITL and classification tie-breaks (not by training). Default 1. */
  neighborhoodOrder?: number;
  /** Default 'rectangular'. */
  topology?: Topology;
  /** Toroidal grid. Default false. */
  pbc?: boolean;
  /** Learning-rate schedule. Default 'asymptotic_decay' (both presets). */
  lrDecay?: ScheduleRef;
  /**
   * σ schedule. Default `exponential({ final: min(1, sigma) })`: σ0 at the first epoch, exactly
   * min(1, σ0) at the last. 'asymptotic_decay' with `preset: 'torchsom'` (ends near σ0/3).
   */
  sigmaDecay?: ScheduleRef;
  /** Neighbourhood kernel. Default 'gaussian'. */
  neighborhood?: NeighborhoodRef;
  /** Distance for BMU search, QE and maps. Default 'euclidean'. */
  distance?: DistanceRef;
  /**
   * Codebook initialisation. Default 'pca' (for dims ≥ 2; 'random' for one feature); 'random'
   * (rows of the data) with `preset: 'torchsom'`. 'kmeans' / 'kmeans_cosine' (fastsom): the
   * centroids of a seeded k-means with k = units, not ordered on the grid.
   */
  init?: InitMode;
  /**
   * Search strategy: what "best unit" means — exact (`'brute-force'`) or an approximate index
   * (`'usearch'`). Recorded in model files. Default 'auto'.
   */
  search?: SearchRef;
  /**
   * Engine: where the training arithmetic runs (`'tfjs'`, `'onnxruntime'`, `'parallel'`, an engine
   * object, or `'auto'`, the default: see `useEngine`). A run-time choice, never saved in the model
   * file; `fit(x, { engine })` overrides it for one call.
   */
  engine?: EngineRef;
  /** Seed for init, shuffling and tie-breaking. Default 42. */
  seed?: number;
  /**
   * Update rule. Default 'batch-map' ('minibatch' when the kernel takes negative values, e.g.
   * 'mexican_hat'); 'minibatch' with `preset: 'torchsom'`. See bench/README.md "Defaults" for the
   * measured quality of each.
   */
  rule?: TrainingRule;
  /** Extra plugin objects or factories used to resolve names (before the registry). */
  plugins?: readonly unknown[];
  /**
   * NaN cells in the data: `'error'` (default: refused with `ERR_NON_FINITE`, nothing guessed) or
   * `'mask'` (missing values: the BMU distance over each sample's observed dimensions, rescaled
   * to all of them; updates of the observed dimensions only; QE/TE on observed dimensions; see
   * docs/user-guide/your-own-table.md). ±Infinity is an error either way. Saved in model files.
   */
  missing?: MissingRule;
  /**
   * Opaque JSON saved with the model (top-level `preprocessing` of the model file) and given back
   * as `som.preprocessing` after `SOM.fromJSON` — e.g. the fitted table pipeline of
   * `@somkit/datasets`, so eval/predict/impute apply the training's scaling and encoding.
   */
  preprocessing?: Json;
}

/** The settings after validation, every plugin as a `{name, options}` spec. JSON-serializable. */
export interface SomConfig {
  rows: number;
  cols: number;
  dims: number;
  epochs: number;
  batchSize: number;
  sigma: number;
  learningRate: number;
  neighborhoodOrder: number;
  topology: Topology;
  pbc: boolean;
  lrDecay: PluginSpec;
  sigmaDecay: PluginSpec;
  neighborhood: PluginSpec;
  distance: PluginSpec;
  init: InitMode;
  search: PluginSpec | 'auto';
  seed: number;
  rule: TrainingRule;
  missing: MissingRule;
}

/** Resolved plugin objects of a config. */
export interface SomPlugins {
  lrDecay: SchedulePlugin;
  sigmaDecay: SchedulePlugin;
  neighborhood: NeighborhoodPlugin;
  distance: DistancePlugin;
  /** The search strategy object when one was passed (names and 'auto' resolve at first search). */
  search?: SearchStrategy;
}

const KEYS = [
  'preset', 'rows', 'cols', 'dims', 'epochs', 'batchSize', 'sigma', 'learningRate', 'neighborhoodOrder', 'topology', 'pbc',
  'lrDecay', 'sigmaDecay', 'neighborhood', 'distance', 'init', 'search', 'engine', 'seed', 'rule', 'plugins', 'missing', 'preprocessing',
] as const;

/** The defaults come as objects so they resolve without any `./register` import. Internal. */
export const DEFAULT_FACTORIES: readonly (() => { readonly name: string })[] = [euclidean, gaussian, asymptoticDecay, exponentialDecay];

function bad(field: string, expected: string, got: unknown): never {
  const shown = typeof got === 'string' ? `'${got}'` : typeof got === 'object' && got !== null ? JSON.stringify(got) : String(got);
  throw new SomError('ERR_INVALID_CONFIG', `${field}: expected ${expected}, got ${shown}.`, { details: { field } });
}

function int(o: Record<string, unknown>, field: string, def: number | undefined, min: number): number {
  const v = o[field] ?? def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) bad(field, `an integer ≥ ${min}`, v);
  return v;
}

function positive(o: Record<string, unknown>, field: string, def: number): number {
  const v = o[field] ?? def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad(field, 'a finite number > 0', v);
  return v;
}

function oneOf<T extends string>(o: Record<string, unknown>, field: string, def: T, choices: readonly T[]): T {
  const v = o[field] ?? def;
  if (typeof v !== 'string' || !choices.includes(v as T)) bad(field, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, v);
  return v as T;
}

function resolvePlugin<K extends PluginKind>(kind: K, field: string, ref: unknown, extra: readonly unknown[]): PluginKinds[K] {
  try {
    return registry.resolve(kind, ref as PluginKinds[K] | string | PluginSpec, undefined, [...extra, ...DEFAULT_FACTORIES]);
  } catch (e) {
    if (e instanceof SomError) throw new SomError(e.code, `${field}: ${e.message}`, { cause: e, details: { field } });
    throw e;
  }
}

/**
 * Validates options, fills defaults and resolves plugins.
 * @throws SomError ERR_INVALID_CONFIG naming the field, or ERR_UNKNOWN_PLUGIN
 */
export function resolveConfig(options: SomOptions): { config: SomConfig; plugins: SomPlugins; extra: readonly unknown[]; engine: EngineRef | undefined } {
  if (typeof options !== 'object' || options === null) bad('options', 'an object with at least rows, cols and dims', options);
  const o = options as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(KEYS as readonly string[]).includes(k)) {
      throw new SomError('ERR_INVALID_CONFIG', `Unknown option '${k}'. Valid options: ${KEYS.join(', ')}.`, { details: { field: k } });
    }
  }
  const extra = o.plugins ?? [];
  if (!Array.isArray(extra)) bad('plugins', 'an array of plugin objects or factories', extra);
  const rows = int(o, 'rows', undefined, 1);
  const cols = int(o, 'cols', undefined, 1);
  const dims = int(o, 'dims', undefined, 1);
  const topology = oneOf<Topology>(o, 'topology', 'rectangular', ['rectangular', 'hexagonal']);
  const pbc = o.pbc ?? false;
  if (typeof pbc !== 'boolean') bad('pbc', 'true or false', pbc);
  if (topology === 'hexagonal' && pbc && rows % 2 !== 0) {
    throw new SomError('ERR_INVALID_CONFIG', `pbc: a hexagonal torus needs an even number of rows, got rows=${rows}. Use ${rows + 1} rows or pbc: false.`, { details: { field: 'pbc' } });
  }
  const seed = o.seed ?? 42;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) bad('seed', 'an integer', seed);
  const preset = oneOf<SomPreset>(o, 'preset', 'somkit', SOM_PRESETS);
  // σ first: the default σ schedule ends at min(1, σ0).
  const sigma = positive(o, 'sigma', presetDefaults(preset, rows, cols, dims).sigma);
  // The kernels compute −d²/(2σ²) in float32: below this σ it overflows and the kernel is NaN.
  if (sigma < MIN_SIGMA) bad('sigma', `a radius ≥ ${MIN_SIGMA} (below, 1/(2σ²) overflows float32 and the neighbourhood kernel is NaN; a radius under 0.1 already updates only the BMU)`, sigma);
  const defaults = presetDefaults(preset, rows, cols, dims, sigma);
  const neighborhood = resolvePlugin('neighborhood', 'neighborhood', o.neighborhood ?? 'gaussian', extra);
  // The batch map needs a non-negative kernel: with one that is not, the default rule is minibatch.
  const rule = oneOf<TrainingRule>(o, 'rule', neighborhood.nonNegative ? defaults.rule : 'minibatch', ['minibatch', 'batch-map']);
  const plugins: SomPlugins = {
    lrDecay: resolvePlugin('schedule', 'lrDecay', o.lrDecay ?? defaults.lrDecay, extra),
    sigmaDecay: resolvePlugin('schedule', 'sigmaDecay', o.sigmaDecay ?? defaults.sigmaDecay, extra),
    neighborhood,
    distance: resolvePlugin('distance', 'distance', o.distance ?? 'euclidean', extra),
  };
  if (rule === 'batch-map' && !plugins.neighborhood.nonNegative) {
    throw new SomError('ERR_INVALID_CONFIG', `neighborhood: the batch-map rule divides by the kernel mass, so it needs a non-negative kernel; '${plugins.neighborhood.name}' takes negative values. Use 'gaussian', 'bubble' or 'triangle', or rule: 'minibatch'.`, { details: { field: 'neighborhood' } });
  }
  // An engine is resolved (and checked) when training starts; a v1 config may name one as its search.
  let engine = o.engine as EngineRef | undefined;
  let search = o.search ?? 'auto';
  if (namesEngine(search)) {
    logger.warnOnce('search-is-engine', `search: this names an engine, not a search strategy; pass it as engine instead. Using it as the engine.`);
    engine ??= search as EngineRef;
    search = 'auto';
  }
  let searchSpec: PluginSpec | 'auto';
  if (search === 'auto') searchSpec = 'auto';
  else if (typeof search === 'string') searchSpec = { name: search };
  else if (typeof search === 'object' && search !== null && typeof (search as { name?: unknown }).name === 'string') {
    if ('kind' in search) {
      const backend = resolvePlugin('search', 'search', search, extra);
      plugins.search = backend;
      searchSpec = pluginSpec(backend);
    } else searchSpec = search as PluginSpec;
  } else bad('search', "'auto', a search strategy name or object", search);
  const learningRate = positive(o, 'learningRate', defaults.learningRate);
  if (learningRate > MAX_LEARNING_RATE) bad('learningRate', `a rate ≤ ${MAX_LEARNING_RATE} (beyond, α/b·h overflows float32; rates above 1 overshoot anyway)`, learningRate);
  const batchSize = int(o, 'batchSize', defaults.batchSize, 1);
  // What training and search really allocate: the [u, d] codebook and one [batchSize, u] block
  // of distances / kernel rows per step (no [u, u] table exists); each must fit MAX_ARRAY_BYTES.
  const gib = (rows * cols * Math.max(dims, batchSize)) / 2 ** 28;
  if (gib > 1) bad('rows × cols', '[units, dims] and [batchSize, units] float32 arrays of at most 1 GiB (use a smaller map or batchSize)', `${rows} × ${cols}, which needs ${gib.toPrecision(3)} GiB`);
  const maxSigma = Math.hypot(rows, cols);
  if (sigma > maxSigma) logger.warn(`sigma=${sigma} is larger than the grid diagonal (${maxSigma.toFixed(2)}); every unit will get nearly the same update.`);
  const config: SomConfig = {
    rows,
    cols,
    dims,
    epochs: int(o, 'epochs', defaults.epochs, 1),
    batchSize,
    sigma,
    learningRate,
    // (Its bound, the grid's largest ring distance, is checked where rings are walked: the map
    // builders, JITL and the model-file reader — all loaded on first use.)
    neighborhoodOrder: int(o, 'neighborhoodOrder', 1, 1),
    topology,
    pbc,
    lrDecay: pluginSpec(plugins.lrDecay),
    sigmaDecay: pluginSpec(plugins.sigmaDecay),
    neighborhood: pluginSpec(plugins.neighborhood),
    distance: pluginSpec(plugins.distance),
    init: oneOf<InitMode>(o, 'init', defaults.init, ['random', 'pca', 'kmeans', 'kmeans_cosine']),
    search: searchSpec,
    seed,
    rule,
    missing: oneOf<MissingRule>(o, 'missing', 'error', ['error', 'mask']),
  };
  if (config.missing === 'mask' && plugins.distance.masked === undefined) {
    throw new SomError('ERR_INVALID_CONFIG', `missing: 'mask' needs a distance with a masked form (over each sample's observed dimensions); '${plugins.distance.name}' has none. Use a built-in distance (every one has it), or impute the data first.`, { details: { field: 'missing' } });
  }
  if (o.preprocessing !== undefined && !isJson(o.preprocessing)) bad('preprocessing', 'JSON values only (objects, arrays, strings, finite numbers, booleans, null)', '(a value that is not JSON)');
  return { config, plugins, extra: extra as unknown[], engine };
}

/** Smallest σ the float32 kernels can evaluate (1/(2σ²) < 3.4e38). */
export const MIN_SIGMA = 1e-19;
/** Largest learning rate whose step α/b·h stays finite in float32. */
export const MAX_LEARNING_RATE = 1e30;

/** Names of the engines contract v1 registered as search backends (model files and configs may still name them). */
export const LEGACY_ENGINE_NAMES: ReadonlySet<string> = new Set(['onnxruntime', 'parallel']);

/**
 * True when a `search` setting names an engine (an engine object, or a name registered as an
 * engine — or one of contract v1's — and not as a strategy): configs and model files of contract v1
 * put engines in the search slot.
 */
export function namesEngine(search: unknown): boolean {
  const o = search as { kind?: unknown; name?: unknown } | null;
  if (o?.kind === 'engine') return true;
  const name = typeof search === 'string' ? search : o?.kind === undefined ? o?.name : undefined;
  return typeof name === 'string' && !registry.has('search', name) && (registry.has('engine', name) || LEGACY_ENGINE_NAMES.has(name));
}

/** Options equivalent to a resolved config (for `fromJSON`). */
export function configToOptions(config: SomConfig, plugins?: readonly unknown[]): SomOptions {
  // (`engine` is never part of a config.)
  const { search, ...rest } = config;
  // (Files written before `missing` existed have none: 'error', the default.)
  return { ...rest, search: search === 'auto' ? 'auto' : (search as PluginSpec & Json as PluginSpec), ...(plugins ? { plugins } : {}) } as SomOptions;
}
