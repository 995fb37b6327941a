import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { Json } from './Json.js';

/** The plugin contract version this package defines. */
export const API_VERSION = 1 as const;

/** The part of `AbortSignal` somkit reads (works with the DOM's and Node's). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/** Grid layouts. Hexagonal is odd-r: odd rows shifted +½ along columns, rows √3/2 apart. */
export type Topology = 'rectangular' | 'hexagonal';

/** Fields every plugin object carries. */
export interface PluginBase<K extends string, O = unknown> {
  readonly kind: K;
  /** Registry name, e.g. `'mexican_hat'` or `'acme/hamming'`. */
  readonly name: string;
  readonly apiVersion: 1;
  /** Options the plugin was made with; must round-trip through JSON. */
  readonly options: O;
}

/**
 * A codebook prepared once per weight update, so the distance pass over many chunks of samples
 * does not redo the codebook-side work (transpose, norms).
 */
export interface PreparedDistance {
  /**
   * A monotone surrogate of the distance (smaller = closer) for samples `x` [n, d] → [n, u].
   * For euclidean this is the clipped squared distance; it must satisfy
   * `toDistance(score(x)) ≈ pairwise(x, w)`.
   */
  score(x: Tensor2D): Tensor2D;
  /** Maps surrogate values (any shape) to true distances. Returns a new tensor. */
  toDistance<T extends Tensor>(score: T): T;
  /** Releases the tensors held by the preparation. */
  dispose(): void;
}

/** A distance between samples and codebook vectors. */
export interface DistancePlugin<O = unknown> extends PluginBase<'distance', O> {
  /**
   * Pairwise distances. Tidy-safe: never disposes its inputs; the caller owns the result.
   * @param x - samples, shape [n, d]
   * @param w - codebook, shape [u, d]
   * @returns [n, u] distances
   */
  pairwise(x: Tensor2D, w: Tensor2D): Tensor2D;
  /** Optional fast path: prepare the codebook once, score many sample chunks. */
  prepare?(w: Tensor2D): PreparedDistance;
}

/** A neighbourhood kernel h(d², σ) over squared grid distances. */
export interface NeighborhoodPlugin<O = unknown> extends PluginBase<'neighborhood', O> {
  /** True when the kernel never returns negative weights (required by the batch-map rule). */
  readonly nonNegative: boolean;
  /**
   * Kernel weights. Tidy-safe. Elementwise: each weight depends only on its own squared distance
   * and σ (core may evaluate the kernel on the distinct distances of a grid and spread the values).
   * @param gridDist2 - squared grid distances, any shape (e.g. [u, b])
   * @param sigma - neighbourhood radius, > 0
   * @returns weights of the same shape, 1 at distance 0
   */
  weights<T extends Tensor>(gridDist2: T, sigma: number): T;
}

/** A decay schedule for the learning rate or σ, evaluated per epoch. */
export interface SchedulePlugin<O = unknown> extends PluginBase<'schedule', O> {
  /**
   * @param initial - value at t = 0
   * @param t - epoch index, 0 ≤ t < total
   * @param total - number of epochs
   */
  value(initial: number, t: number, total: number): number;
}

/** What a search backend is told about the search it may be asked to run. */
export interface SearchContext {
  /** Active tfjs backend name (`tf.getBackend()`). */
  readonly backend: string;
  readonly distance: DistancePlugin;
  readonly units: number;
  readonly dims: number;
}

/** Result of a k-nearest-unit search. The caller owns both tensors. */
export interface SearchResult {
  /** [n, k] int32 unit indices, nearest first. */
  indices: Tensor2D;
  /** [n, k] float32 distances under the context's distance, ascending. */
  distances: Tensor2D;
}

/** Input of {@link SearchBackend.minibatchStep}. All arrays are row-major float32. */
export interface MinibatchStep {
  /** [b, d] the batch (a view; valid only during the call). */
  readonly x: Float32Array;
  /** [u, d] the codebook before the step (do not modify). */
  readonly weights: Float32Array;
  /**
   * [u, u] the grid-kernel table at this epoch's σ, already multiplied by the step size α / b:
   * `kernel[i·u + j] = (α / b) · h(‖r_i − r_j‖², σ)`, symmetric. Core builds it with the
   * neighbourhood plugin once per epoch (and batch size), so the same object comes back for every
   * batch of that epoch — engines may cache what they derive from it by identity. Core uses this
   * hook only while u ≤ 4096 (a table of at most 64 MiB).
   */
  readonly kernel: Float32Array;
  /** b, u, d. */
  readonly batch: number;
  readonly units: number;
  readonly dims: number;
  /** Best units wanted per sample for QE/TE (1 or 2). */
  readonly k: number;
}

/** Output of {@link SearchBackend.minibatchStep}; the caller owns the arrays. */
export interface MinibatchStepResult {
  /** [u, d] the codebook after the step. */
  weights: Float32Array;
  /** [b, k] best units of each sample under the codebook before the step, nearest first. */
  indices: Int32Array;
  /** [b, k] their distances under the context's distance. */
  distances: Float32Array;
}

/**
 * Input of {@link SearchBackend.minibatchSteps}: several consecutive minibatch steps in one call.
 * All float arrays are row-major float32.
 */
export interface MinibatchSteps {
  /** [n, d] the samples the steps draw from (do not modify; valid only during the call). */
  readonly x: Float32Array;
  /**
   * [steps · batch] row indices into `x`, in the order the steps take them: step j uses rows
   * `rows[j·batch … (j+1)·batch)` (a view; do not modify). Each index is in [0, n).
   */
  readonly rows: Int32Array;
  /** [u, d] the codebook before the first step (do not modify). */
  readonly weights: Float32Array;
  /** [u, u] the kernel table of every step of the call, as {@link MinibatchStep.kernel} (α / batch folded in). */
  readonly kernel: Float32Array;
  /** Samples per step (b), steps in this call (s ≥ 1), rows of `x` (n), u, d. */
  readonly batch: number;
  readonly steps: number;
  readonly samples: number;
  readonly units: number;
  readonly dims: number;
  /** Best units wanted per sample for QE/TE (1 or 2). */
  readonly k: number;
}

/** Output of {@link SearchBackend.minibatchSteps}; the caller owns the arrays. */
export interface MinibatchStepsResult {
  /** [u, d] the codebook after the last step. */
  weights: Float32Array;
  /** [steps · batch, k] best units of each row of `rows` (in that order) under the codebook its step started from, nearest first. */
  indices: Int32Array;
  /** [steps · batch, k] their distances under the context's distance. */
  distances: Float32Array;
}

/** Input of {@link SearchBackend.neuronSums}. All arrays are row-major float32. */
export interface NeuronSumsJob {
  /** [n, d] the samples (a view; valid only during the call; do not modify). */
  readonly x: Float32Array;
  /** [u, d] the codebook (do not modify). */
  readonly weights: Float32Array;
  /** n, u, d. */
  readonly samples: number;
  readonly units: number;
  readonly dims: number;
  /** Best units wanted per sample for QE/TE (1 or 2). */
  readonly k: number;
}

/** Output of {@link SearchBackend.neuronSums}; the caller owns the arrays. */
export interface NeuronSumsResult {
  /** [u, d + 1]: Σ x over the samples whose BMU is the unit, then their count. */
  sums: Float32Array;
  /** [n, k] best units per sample, nearest first. */
  indices: Int32Array;
  /** [n, k] their distances under the context's distance. */
  distances: Float32Array;
}

/** A best-matching-unit search backend. */
export interface SearchBackend<O = unknown> extends PluginBase<'search', O> {
  /** Higher wins in `search: 'auto'`. The exact brute force has priority 0. */
  readonly priority: number;
  /** `true` when usable in this context, otherwise a human-readable reason. */
  supports(ctx: SearchContext): true | string;
  /**
   * k nearest units for each sample. Tidy-safe; never disposes inputs.
   * @param x - samples [n, d]
   * @param w - codebook [u, d]
   * @param k - neighbours wanted, 1 ≤ k ≤ u
   */
  search(x: Tensor2D, w: Tensor2D, k: number, ctx: SearchContext): SearchResult;
  /**
   * Optional asynchronous form of {@link search} for engines whose calls are async (native
   * runtimes, workers). Training and evaluation prefer it when present. Same contract as `search`.
   */
  searchAsync?(x: Tensor2D, w: Tensor2D, k: number, ctx: SearchContext): Promise<SearchResult>;
  /**
   * Optional engine hook for the update step: the matrix product `a·b` (a [m, k], b [k, n] →
   * [m, n]), used by core for `H·X` (minibatch) and `G·[S | m]` (batch-map). Omit it to let core
   * use tfjs `matMul`. Must not dispose its inputs; the caller owns the result.
   */
  product?(a: Tensor2D, b: Tensor2D): Promise<Tensor2D>;
  /**
   * Optional engine hook for the whole `minibatch` step: BMU search of one batch, the update
   * `W ← W + Hᵀ X − (Σ_b H) ∘ W` with `H` [b, u] the rows of `step.kernel` at each sample's BMU, and
   * the search result for QE/TE — in one native call instead of a dozen tfjs operations. Core
   * calls it (instead of `searchAsync` + `product`) when it is present, `supports(ctx)` is true and
   * the kernel table fits (see {@link MinibatchStep.kernel}); engines return their own reasons by
   * throwing only for real failures. Plain arrays in and out: engines that hold data in CPU memory
   * (cpu/wasm tfjs backends) avoid a tensor round trip per batch.
   */
  minibatchStep?(step: MinibatchStep, ctx: SearchContext): Promise<MinibatchStepResult>;
  /**
   * Optional engine hook for several consecutive `minibatch` steps in one call — each exactly the
   * step of {@link minibatchStep} — with the rows of each batch picked from `job.x` by `job.rows`,
   * so an engine can gather them natively and keep the codebook on its side between steps. Core
   * prefers it over `minibatchStep` (same conditions) and sizes each call to its `yieldEvery`
   * budget (25 ms by default; one step with `'batch'`), so abort signals and event-loop turns are
   * honoured between calls; a shorter last batch comes as its own one-step call.
   */
  minibatchSteps?(job: MinibatchSteps, ctx: SearchContext): Promise<MinibatchStepsResult>;
  /**
   * Optional engine hook for the `batch-map` pass (and `SOM.accumulate`): the BMU search of a
   * whole chunk of samples plus the per-neuron sums `[S | m]` — Σ x and the count of the samples
   * whose BMU is each unit — over plain arrays. Core then applies `W = G S / G m` itself (through
   * {@link product} when present). Used when present and `supports(ctx)` is true.
   */
  neuronSums?(job: NeuronSumsJob, ctx: SearchContext): Promise<NeuronSumsResult>;
  /**
   * Optional hint that `w` is the codebook the next searches will use, so an index can be built
   * ahead of time. Core's training loops do **not** call it (the codebook changes every minibatch
   * batch, where a rebuild would rarely pay): every search receives the current `w`, and an
   * index-based backend must notice a changed codebook itself (tfjs tensors are immutable, so a
   * new tensor means new weights). The conformance suite calls it before searching.
   */
  rebuild?(w: Tensor2D): void | Promise<void>;
  dispose?(): void;
}

/** A codebook as plain data, for clustering, visualisation and export. */
export interface Codebook {
  /** [u, d] row-major, unit u = row·cols + col. */
  readonly weights: Float32Array;
  readonly units: number;
  readonly dims: number;
  readonly rows: number;
  readonly cols: number;
  /** [u, 2] plane coordinates (x, y) of each unit, the ones the neighbourhood uses. */
  readonly coords: Float32Array;
  readonly topology: Topology;
  readonly pbc: boolean;
}

/** A per-unit map (hit map, U-matrix, component plane, …) as plain data. */
export interface MapData {
  /** Map kind, e.g. `'hit'`, `'distance'`, `'component'`. */
  readonly type: string;
  /** [u] values, NaN for empty units where the map defines none. */
  readonly values: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly topology: Topology;
  readonly pbc: boolean;
  readonly label?: string;
}

/** Plugin clustering neurons of a codebook. */
export interface ClusteringPlugin<O = unknown> extends PluginBase<'clustering', O> {
  /** One label per unit, 0-based, -1 for noise. */
  cluster(cb: Codebook, opts?: { signal?: AbortSignalLike }): Promise<Int32Array>;
}

/** Free-form style options for renderers. */
export type RenderStyle = { readonly [key: string]: Json | undefined };

/** A renderer of per-unit maps. */
export interface Renderer<Out = unknown, O = unknown> extends PluginBase<'renderer', O> {
  render(map: MapData, style?: RenderStyle): Out | Promise<Out>;
}

/** Every plugin kind by name. */
export interface PluginKinds {
  distance: DistancePlugin;
  neighborhood: NeighborhoodPlugin;
  schedule: SchedulePlugin;
  search: SearchBackend;
  clustering: ClusteringPlugin;
  renderer: Renderer;
}

/** A plugin kind name. */
export type PluginKind = keyof PluginKinds;

/** Any plugin object. */
export type AnyPlugin = PluginKinds[PluginKind];

/** How a plugin is named in configs and model files. */
export interface PluginSpec {
  readonly name: string;
  readonly options?: Json | undefined;
}

/** Registry names, augmented by each `./register` entry (`declare module '@somkit/plugin-api'`). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface DistanceNames {}
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface NeighborhoodNames {}
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ScheduleNames {}
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface SearchNames {}

/** A name from an augmented map, or any string when nothing was registered at type level. */
type NameOf<M> = [keyof M] extends [never] ? string : (keyof M & string) | (string & {});

/** A distance given as a plugin object or a registry name. */
export type DistanceRef = DistancePlugin | NameOf<DistanceNames> | PluginSpec;
export type NeighborhoodRef = NeighborhoodPlugin | NameOf<NeighborhoodNames> | PluginSpec;
export type ScheduleRef = SchedulePlugin | NameOf<ScheduleNames> | PluginSpec;
export type SearchRef = SearchBackend | 'auto' | NameOf<SearchNames> | PluginSpec;
