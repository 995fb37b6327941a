import type { DistanceRef, Topology } from '@somkit/plugin-api';
import type { MatrixInput } from '../toMatrix.js';

/** Every map type {@link buildMap} knows, in TorchSOM's order plus `component`. */
export const MAP_TYPES = ['hit', 'distance', 'metric', 'score', 'rank', 'classification', 'bmusData', 'component'] as const;

/** A map type name. `distance` is the U-matrix; `bmusData` is TorchSOM's `bmus_data`. */
export type MapType = (typeof MAP_TYPES)[number];

/** Map types that need a per-sample `target`. */
export const TARGET_MAP_TYPES: readonly MapType[] = ['metric', 'score', 'rank', 'classification'];

/** Map types that need samples (`data`) or precomputed `bmus`. */
export const SAMPLE_MAP_TYPES: readonly MapType[] = ['hit', 'bmusData', 'metric', 'score', 'rank', 'classification'];

/** A per-sample numeric target: a class id (classification) or a value (metric, score, rank). Shape [n]. */
export type MapTarget = readonly number[] | Float32Array | Float64Array | Int32Array;

/**
 * Options of {@link buildMap}. Which ones a type reads:
 *
 * | type | reads |
 * |---|---|
 * | `hit`, `bmusData` | `data` or `bmus` |
 * | `distance` | `neighborhoodOrder`, `scaling`, `distance` |
 * | `metric` | `data`/`bmus`, `target`, `reduction` |
 * | `score` | `data`/`bmus`, `target`, `totalSamples` |
 * | `rank` | `data`/`bmus`, `target` |
 * | `classification` | `data`/`bmus`, `target` (class ids), `neighborhoodOrder` |
 * | `component` | `feature` |
 */
export interface MapOptions {
  /** Samples, shape [n, dims]. Their BMUs are searched unless `bmus` is given. */
  data?: MatrixInput;
  /** Per-sample target, shape [n]: class ids for `classification`, values for `metric`/`score`/`rank`. */
  target?: MapTarget;
  /** Precomputed BMU (flat unit index) of each sample, shape [n]; skips the search (and `data`). */
  bmus?: Int32Array;
  /** Rings 1..order used by the U-matrix and the classification tie-break. Default `som.config.neighborhoodOrder`. */
  neighborhoodOrder?: number;
  /**
   * U-matrix: sum (default, TorchSOM's) or mean of the distances to the neighbours each unit has.
   * Use `'mean'` for figures: with `'sum'`, edge units (fewer neighbours) look darker.
   */
  scaling?: 'sum' | 'mean';
  /** `metric`: per-unit mean (default) or unbiased standard deviation of the target. */
  reduction?: 'mean' | 'std';
  /** `score`: N in std/√n·ln(N/n). Default: the number of samples. */
  totalSamples?: number;
  /** `component`: feature (column of the codebook), 0 ≤ feature < dims. */
  feature?: number;
  /** U-matrix distance between codebook vectors. Default: the SOM's distance. */
  distance?: DistanceRef;
}

/**
 * Unit → sample indices (TorchSOM `bmus_data` with `return_indices=True`), as plain data.
 * `indices[u]` lists, ascending, the samples whose BMU is unit `u` (empty for units without hits).
 */
export interface BmusData {
  readonly type: 'bmusData';
  /** [u] arrays of sample indices. */
  readonly indices: Int32Array[];
  readonly rows: number;
  readonly cols: number;
  readonly topology: Topology;
  readonly pbc: boolean;
}

/** One map request of {@link buildMaps}: a type and its options (samples and target are shared). */
export type MapSpec = { type: MapType } & Omit<MapOptions, 'data' | 'target' | 'bmus'>;
