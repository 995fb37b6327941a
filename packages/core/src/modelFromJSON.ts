import { isJson, isSomError, logger, nestsDeeperThan, quoteInput, registry, SomError, type Json } from '@somkit/plugin-api';
import { configToOptions, namesEngine, resolveConfig, type SomConfig, type SomOptions } from './config.js';
import { base64ToFloat32 } from '@somkit/geometry';
import { largestRingDistance } from './largestRingDistance.js';
import { MODEL_FORMAT, MODEL_VERSION, type SomModelJSON } from './modelToJSON.js';

function fail(path: string, expected: string, got: unknown, described = false): never {
  const shown = described ? String(got) : typeof got === 'string' ? quoteInput(got) : Array.isArray(got) ? `an array of length ${got.length}` : typeof got === 'object' && got !== null ? 'an object' : quoteInput(got);
  throw new SomError('ERR_MODEL_FORMAT', `Invalid somkit model file: ${path}: expected ${expected}, got ${shown}.`, { details: { path } });
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Record<string, unknown>;
}

function numberArray(v: unknown, path: string, allowNull = false): number[] {
  if (!Array.isArray(v)) fail(path, 'an array of numbers', v);
  return v.map((x, i) => {
    if (allowNull && x === null) return Number.NaN;
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${path}[${i}]`, 'a finite number', x);
    return x;
  });
}

/**
 * Validates a model file and returns the SOM options, weights and history it holds.
 * @throws SomError ERR_MODEL_FORMAT naming the offending field
 */
export function modelFromJSON(json: unknown, plugins?: readonly unknown[]): { options: SomOptions; weights: Float32Array; history: Partial<Record<keyof SomModelJSON['history'], number[]>> } {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json) as unknown;
    } catch (e) {
      throw new SomError('ERR_MODEL_FORMAT', `Invalid somkit model file: not valid JSON (${(e as Error).message}).`, { cause: e });
    }
  }
  const root = obj(json, 'model');
  if (nestsDeeperThan(root, MAX_DEPTH)) fail('model', `JSON nested at most ${MAX_DEPTH} levels deep (model files need a handful)`, 'a deeper value', true);
  if (root.format !== MODEL_FORMAT) fail('format', `'${MODEL_FORMAT}'`, root.format);
  if (root.version !== MODEL_VERSION) fail('version', `${MODEL_VERSION} (this somkit reads version ${MODEL_VERSION})`, root.version);
  const config = obj(root.config, 'config');
  if (!isJson(config)) fail('config', 'JSON values only', config);
  checkPluginFields(config);
  // The config checker quotes what it refuses whole (it serves code, not files): cap what a file
  // can make it quote.
  const long = longString(config, MAX_STRING);
  if (long !== undefined) fail(`config${long}`, `a string of at most ${MAX_STRING} characters`, 'a longer string', true);
  let options: SomOptions;
  try {
    options = configToOptions(config as unknown as SomConfig);
    // Files of contract v1 name the engine they were trained with as the search backend. An engine
    // is where arithmetic ran, not part of the model: such files load with search 'auto'.
    if (namesEngine(options.search)) options = { ...options, search: 'auto' };
    // Plugins the caller passed resolve names the registry does not know; a named search backend
    // must resolve now too, not at the first search.
    // The file's own search setting too: the SOM built from these options must not refuse them
    // (that would be ERR_INVALID_CONFIG for a bad file).
    resolveConfig({ ...options, ...(plugins ? { plugins } : {}) });
    if (typeof options.search === 'object' && options.search !== null && 'name' in options.search) {
      const name = options.search.name;
      try {
        resolveSearchName(options.search as { name: string; options?: Json }, plugins);
      } catch (e) {
        if (!isSomError(e, 'ERR_UNKNOWN_PLUGIN')) throw e;
        // The search backend changes how BMUs are found, not what the model is: load it with
        // 'auto' rather than refuse a model trained with an engine this process lacks.
        logger.warn(`somkit model file: the model was trained with search backend '${name}', which is not available here (${e.message}); using search: 'auto' instead. Import or pass that search strategy to use it again.`);
        options = { ...options, search: 'auto' };
      }
    }
  } catch (e) {
    if (isSomError(e, 'ERR_INVALID_CONFIG')) {
      throw new SomError('ERR_MODEL_FORMAT', `Invalid somkit model file: config.${e.message}`, { cause: e });
    }
    throw e;
  }
  const maxOrder = Math.max(1, largestRingDistance({ rows: options.rows, cols: options.cols, topology: options.topology ?? 'rectangular', pbc: options.pbc ?? false }));
  if ((options.neighborhoodOrder ?? 1) > maxOrder) {
    // Rings beyond the grid are empty; walking them made `report` run forever (order 1e9).
    fail('config.neighborhoodOrder', `an integer in 1..${maxOrder} (${maxOrder} is the largest ring distance of this ${options.rows} × ${options.cols} grid: rings beyond it are empty and only cost time)`, options.neighborhoodOrder);
  }
  const units = (options.rows) * (options.cols);
  const grid = obj(root.grid, 'grid');
  for (const [k, v] of [['rows', options.rows], ['cols', options.cols], ['topology', options.topology ?? 'rectangular'], ['pbc', options.pbc ?? false], ['units', units]] as const) {
    if (grid[k] !== v) fail(`grid.${k}`, `${JSON.stringify(v)} (as in config)`, grid[k]);
  }
  const cb = obj(root.codebook, 'codebook');
  if (cb.dtype !== 'float32') fail('codebook.dtype', "'float32'", cb.dtype);
  const shape = cb.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || shape[0] !== units || shape[1] !== options.dims) {
    fail('codebook.shape', `[${units}, ${options.dims}] (rows·cols, dims)`, Array.isArray(shape) ? `[${shape.join(', ')}]` : shape);
  }
  let weights: Float32Array;
  if (cb.encoding === 'base64') {
    if (typeof cb.data !== 'string') fail('codebook.data', 'a base64 string', cb.data);
    const w = base64ToFloat32(cb.data);
    if (w === undefined) fail('codebook.data', 'valid base64 of float32 little-endian values', cb.data);
    weights = w;
  } else if (cb.encoding === 'array') {
    weights = Float32Array.from(numberArray(cb.data, 'codebook.data'));
  } else {
    fail('codebook.encoding', "'base64' or 'array'", cb.encoding);
  }
  if (weights.length !== units * options.dims) fail('codebook.data', `${units * options.dims} values (${units}×${options.dims})`, `${weights.length} values`);
  const badIndex = weights.findIndex((v) => !Number.isFinite(v));
  if (badIndex >= 0) fail(`codebook.data[${badIndex}]`, 'a finite number', weights[badIndex]);
  const history: Partial<Record<keyof SomModelJSON['history'], number[]>> = {};
  if (root.history !== undefined) {
    const h = obj(root.history, 'history');
    for (const k of ['qe', 'te', 'learningRate', 'sigma', 'seconds'] as const) {
      if (h[k] !== undefined) history[k] = numberArray(h[k], `history.${k}`, k === 'te');
    }
  }
  if (root.preprocessing !== undefined) {
    if (!isJson(root.preprocessing)) fail('preprocessing', 'JSON values only', root.preprocessing);
    options = { ...options, preprocessing: root.preprocessing };
  }
  return { options, weights, history };
}


/** Nesting a model file may have; plugin options included. */
const MAX_DEPTH = 64;

/** Longest string a model file's config may hold (names, plugin options). */
const MAX_STRING = 1000;

/** The path of the first string longer than `limit` in `v`, e.g. `.distance.options.x` (iterative). */
function longString(v: unknown, limit: number): string | undefined {
  const stack: Array<[unknown, string]> = [[v, '']];
  while (stack.length > 0) {
    const [x, path] = stack.pop()!;
    if (typeof x === 'string' && x.length > limit) return path;
    if (typeof x === 'object' && x !== null) for (const [k, e] of Object.entries(x)) stack.push([e, Array.isArray(x) ? `${path}[${k}]` : `${path}.${k}`]);
  }
  return undefined;
}

/** Plugin slots of a model file's config: a name or `{name, options}`, never a plugin object. */
const PLUGIN_FIELDS = ['lrDecay', 'sigmaDecay', 'neighborhood', 'distance', 'search'] as const;

/**
 * A model file holds plugins by name (`{name, options}`). A plugin-shaped object (`{kind, name,
 * apiVersion}`) would pass as a plugin object and fail later, in eval or a worker, with a
 * TypeError (its functions cannot come from JSON); `plugins` and `engine` are run-time options,
 * never part of a saved config.
 */
function checkPluginFields(config: Record<string, unknown>): void {
  for (const k of ['plugins', 'engine']) {
    if (config[k] !== undefined) fail(`config.${k}`, `no '${k}' field (a run-time option, never saved in a model file; pass it to fromJSON/fit instead)`, config[k]);
  }
  for (const k of PLUGIN_FIELDS) {
    const v = config[k];
    if (v === undefined || typeof v === 'string') continue;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`config.${k}`, 'a plugin name or {name, options}', v);
    const spec = v as Record<string, unknown>;
    if (typeof spec.name !== 'string') fail(`config.${k}.name`, 'a plugin name (a string)', spec.name);
    const extra = Object.keys(spec).filter((key) => key !== 'name' && key !== 'options');
    if (extra.length > 0) fail(`config.${k}`, `{name, options} only (a plugin object's fields such as 'kind' cannot come from a file; its functions are missing)`, `an object with ${extra.slice(0, 5).map((e) => quoteInput(e, 40)).join(', ')}`, true);
  }
}

/**
 * A named search backend must be registered or passed ('brute-force' is built in), and accept the
 * file's options: bad options are a bad file (ERR_MODEL_FORMAT), not a failure at the first search.
 */
function resolveSearchName(spec: { name: string; options?: Json }, plugins: readonly unknown[] | undefined): void {
  // The registry tries the passed plugin objects and factories before its own entries.
  if (spec.name === 'brute-force' && spec.options === undefined) return;
  const made = registry.resolve('search', spec, undefined, plugins);
  made.dispose?.();
}
