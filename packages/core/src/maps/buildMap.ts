import { registry, SomError, type MapData } from '@somkit/plugin-api';
import type { MapSource } from './MapSource.js';
import { largestRingDistance } from '../largestRingDistance.js';
import { classificationMap } from './classificationMap.js';
import { componentMap } from './componentMap.js';
import { distanceMap } from './distanceMap.js';
import { hitMap } from './hitMap.js';
import { MAP_TYPES, SAMPLE_MAP_TYPES, TARGET_MAP_TYPES, type BmusData, type MapOptions, type MapType } from './MapOptions.js';
import { metricMap } from './metricMap.js';
import { rankMap } from './rankMap.js';
import { resolveBmus } from './resolveBmus.js';
import { scoreMap } from './scoreMap.js';
import { unitMembers } from './unitMembers.js';
import { validateTarget } from './validateTarget.js';

function invalid(message: string): never {
  throw new SomError('ERR_INVALID_INPUT', message);
}

function checkType(type: unknown): asserts type is MapType {
  if (typeof type !== 'string' || !(MAP_TYPES as readonly string[]).includes(type)) {
    const shown = typeof type === 'string' ? `'${type}'` : String(type);
    const hint = type === 'bmus_data' ? " (TorchSOM's 'bmus_data' is 'bmusData' here)" : type === 'umatrix' || type === 'u-matrix' ? " (the U-matrix is 'distance')" : '';
    invalid(`Unknown map type ${shown}${hint}. Valid types: ${MAP_TYPES.map((t) => `'${t}'`).join(', ')}.`);
  }
}

function order(som: MapSource, opts: MapOptions, type: MapType): number {
  const k = opts.neighborhoodOrder ?? som.config.neighborhoodOrder;
  if (!Number.isInteger(k) || k < 1) invalid(`map '${type}': neighborhoodOrder must be an integer ≥ 1, got ${String(k)}.`);
  const max = Math.max(1, largestRingDistance(som.grid));
  if (k > max) invalid(`map '${type}': neighborhoodOrder must be an integer in 1..${max} (the largest ring distance of this ${som.grid.rows} × ${som.grid.cols} grid: rings beyond it are empty and only cost time), got ${k}.`);
  return k;
}

function choice<T extends string>(type: MapType, field: string, v: unknown, def: T, choices: readonly T[]): T {
  if (v === undefined) return def;
  if (typeof v !== 'string' || !choices.includes(v as T)) {
    invalid(`map '${type}': ${field} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${typeof v === 'string' ? `'${v}'` : String(v)}.`);
  }
  return v as T;
}

/**
 * Builds one per-unit map of a trained SOM (TorchSOM `build_map`), as plain data.
 *
 * | type | value per unit | empty unit |
 * |---|---|---|
 * | `hit` | samples whose BMU is the unit | 0 |
 * | `distance` | U-matrix: sum/mean distance to the codebook vectors in rings 1..order, ÷ global max → [0, 1] | — |
 * | `metric` | mean or unbiased std (1 sample → 0) of the target | NaN |
 * | `score` | max(std/√n·ln(N/n), 1e-8), n = 1 → 1e-8 (lower = more representative) | NaN |
 * | `rank` | rank by target std, descending, 1 = highest | NaN |
 * | `classification` | majority class; ties → neighbours' counts → smallest id | NaN |
 * | `bmusData` | {@link BmusData}: unit → sample indices | `[]` |
 * | `component` | codebook column `feature` | — |
 *
 * Uses only the SOM's public API; samples are searched once (or pass `bmus`).
 * @param som - a trained model (a `SOM`, or any {@link MapSource})
 * @param type - map type
 * @param opts - see {@link MapOptions}; `data` is [n, dims], `target` and `bmus` are [n]
 * @returns values [u] (u = rows·cols, row-major) with the grid geometry, or {@link BmusData}
 * @throws SomError ERR_INVALID_INPUT (unknown type, missing data/target, bad option),
 *   ERR_SHAPE_MISMATCH (target length ≠ n), ERR_NON_FINITE (target), ERR_NOT_FITTED
 *
 * ```ts
 * const umatrix = await buildMap(som, 'distance', { scaling: 'mean' });
 * const classes = await buildMap(som, 'classification', { data: x, target: y });
 * ```
 */
export async function buildMap(som: MapSource, type: 'bmusData', opts?: MapOptions): Promise<BmusData>;
export async function buildMap(som: MapSource, type: Exclude<MapType, 'bmusData'>, opts?: MapOptions): Promise<MapData>;
export async function buildMap(som: MapSource, type: MapType | (string & {}), opts?: MapOptions): Promise<MapData | BmusData>;
export async function buildMap(som: MapSource, type: MapType | (string & {}), opts: MapOptions = {}): Promise<MapData | BmusData> {
  checkType(type);
  if (typeof opts !== 'object' || opts === null) invalid(`map '${type}': options must be an object, got ${opts === null ? 'null' : typeof opts}.`);
  const grid = som.grid;
  const why = `map '${type}'`;
  if (TARGET_MAP_TYPES.includes(type) && opts.target === undefined) {
    invalid(`${why} needs a target: pass target, one number per sample (class ids for 'classification', values for 'metric'/'score'/'rank'), with data or bmus.`);
  }
  if (type === 'distance') {
    const k = order(som, opts, type);
    const scaling = choice(type, 'scaling', opts.scaling, 'sum', ['sum', 'mean'] as const);
    const distance = opts.distance === undefined ? som.plugins.distance : registry.resolve('distance', opts.distance);
    return distanceMap(grid, som.getWeights(), som.dims, distance, k, scaling);
  }
  if (type === 'component') {
    const f = opts.feature;
    if (typeof f !== 'number' || !Number.isInteger(f) || f < 0 || f >= som.dims) {
      invalid(`map 'component' needs feature, an integer in [0, ${som.dims - 1}] (the codebook column), got ${String(f)}.`);
    }
    return componentMap(grid, som.getWeights(), som.dims, f);
  }
  // Every other type reads the samples' BMUs.
  if (!SAMPLE_MAP_TYPES.includes(type)) invalid(`${why} is not implemented.`);
  const reduction = type === 'metric' ? choice(type, 'reduction', opts.reduction, 'mean', ['mean', 'std'] as const) : 'mean';
  const k = type === 'classification' ? order(som, opts, type) : 1;
  if (type === 'score' && opts.totalSamples !== undefined && !(Number.isFinite(opts.totalSamples) && opts.totalSamples > 0)) {
    invalid(`map 'score': totalSamples must be a finite number > 0, got ${String(opts.totalSamples)}.`);
  }
  const bmus = await resolveBmus(som, opts, why);
  if (type === 'hit') return hitMap(grid, bmus);
  const members = unitMembers(bmus, grid.units);
  if (type === 'bmusData') {
    return { type: 'bmusData', indices: members, rows: grid.rows, cols: grid.cols, topology: grid.topology, pbc: grid.pbc };
  }
  const target = validateTarget(opts.target, bmus.length, why);
  switch (type) {
    case 'metric':
      return metricMap(grid, members, target, reduction);
    case 'score':
      return scoreMap(grid, members, target, opts.totalSamples ?? bmus.length);
    case 'rank':
      return rankMap(grid, members, target);
    default:
      return classificationMap(grid, members, target, k);
  }
}
