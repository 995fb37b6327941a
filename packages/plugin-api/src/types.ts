import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { Json } from './Json.js';

/**
 * The plugin contract version this package defines. Version 2 split the v1 "search backend" into a
 * {@link SearchStrategy} (what the model means by best unit) and an {@link Engine} (where the
 * arithmetic runs). Plugins declaring version 1 are still accepted: distances, neighbourhoods,
 * schedules, clustering and renderers did not change, and a v1 search backend is a search strategy
 * (its old engine hooks are no longer called).
 */
export const API_VERSION = 2 as const;

/** Contract versions this package accepts from plugins. */
export const SUPPORTED_API_VERSIONS: readonly number[] = Object.freeze([1, 2]);

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
  readonly apiVersion: 1 | 2;
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
  /**
   * The distance for samples with missing values (`missing: 'mask'`): `x` [n, d] holds NaN at
   * missing cells; the distance is taken over each sample's observed dimensions only and rescaled
   * to all d (for a sum over dimensions, × d / observed), so samples with fewer observed values
   * compare with complete ones. Every row has at least one observed value (core checks). Without
   * it, the distance cannot train or search on data with missing values (core says so). May be a
   * loader (`() => import('./masked.js').then(…)`), so apps that never meet a missing value do not
   * download it; resolve either form with `maskedForm(distance)`.
   */
  readonly masked?: MaskedDistance | (() => Promise<MaskedDistance>);
}

/** The missing-value form of a distance (see {@link DistancePlugin.masked}). */
export type MaskedDistance = Pick<DistancePlugin, 'pairwise' | 'prepare'>;

/** The masked form of `distance`, loading it when it is a loader; undefined when it has none. */
export async function maskedForm(distance: Pick<DistancePlugin, 'masked'>): Promise<MaskedDistance | undefined> {
  const m = distance.masked;
  return typeof m === 'function' ? m() : m;
}

/** A neighbourhood kernel h(d², σ) over squared grid distances. */
export interface NeighborhoodPlugin<O = unknown> extends PluginBase<'neighborhood', O> {
  /** True when the kernel never returns negative weights (required by the batch-map rule). */
  readonly nonNegative: boolean;
  /**
   * True when `h(a + b, σ) = h(a, σ)·h(b, σ)` for squared distances a, b ≥ 0 (the gaussian): the
   * kernel of a rectangular grid is then a row kernel times a column kernel, and core applies the
   * batch-map product `G·m` along columns and rows separately — O(u·(rows + cols)) instead of
   * O(u²). Default false.
   */
  readonly separable?: boolean;
  /**
   * Kernel weights. Tidy-safe. Elementwise: each weight depends only on its own squared distance
   * and σ (core may evaluate the kernel on the distinct distances of a grid and spread the values).
   * @param gridDist2 - squared grid distances, any shape (e.g. [u, b])
   * @param sigma - neighbourhood radius, > 0
   * @returns weights of the same shape, 1 at distance 0
   */
  weights<T extends Tensor>(gridDist2: T, sigma: number): T;
  /**
   * Optional: the kernel over grid offsets, for kernels that are not a function of d² alone
   * (`rhomb`, L1; `square`, L∞). When present, core builds the training tables from it instead of
   * {@link weights}; radial kernels leave it out and keep the d² path. Offsets are plane
   * displacements from the BMU to the unit, in grid units: `dRow` across rows, `dCol` along
   * columns. On a rectangular grid they are the integer index offsets; on a torus the minimum
   * image per axis; on an odd-r hexagonal grid the plane offsets (rows √3/2 apart, odd rows
   * shifted +½), so `dRow² + dCol² = d²` on every grid. Tidy-safe; elementwise; 1 at (0, 0).
   * `weights(d²)` must then equal the kernel along one axis (`dRow = 0, dCol = √d²`), which the
   * conformance suite checks.
   * @param dRow - row offsets, any shape (e.g. [t])
   * @param dCol - column offsets, same shape
   * @param sigma - neighbourhood radius, > 0
   * @returns weights of the same shape
   */
  offsetWeights?<T extends Tensor>(dRow: T, dCol: T, sigma: number): T;
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

/** What a search strategy is told about the search it may be asked to run. */
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

/**
 * A search strategy: what the model means by "best unit" — the exact k nearest units, or an
 * approximate index (usearch HNSW). Small on purpose (TorchSOM's `BMUSearchStrategy`); where and
 * how the training arithmetic runs is an {@link Engine}'s business, not the strategy's. A strategy
 * may be recorded in a model file (by name and JSON options).
 */
export interface SearchStrategy<O = unknown> extends PluginBase<'search', O> {
  /** Higher wins in `search: 'auto'`. The exact brute force has priority 0. */
  readonly priority: number;
  /**
   * `true` when `search` returns the exact k nearest units under the context's distance (ties to
   * the lower unit index). Then an engine may run its own exact search inside its fused kernels
   * (several minibatch steps, per-neuron sums) instead of calling the strategy. Default false:
   * core calls the strategy for every search and hands its result to the engine.
   */
  readonly exact?: boolean;
  /** `true` when usable in this context, otherwise a human-readable reason. */
  supports(ctx: SearchContext): true | string;
  /**
   * k nearest units for each sample. Tidy-safe; never disposes inputs.
   * @param x - samples [n, d]
   * @param w - codebook [u, d]
   * @param k - neighbours wanted, 1 ≤ k ≤ u
   */
  search(x: Tensor2D, w: Tensor2D, k: number, ctx: SearchContext): SearchResult;
  /** Optional asynchronous form of {@link search} (native indexes, workers); preferred when present. Same contract. */
  searchAsync?(x: Tensor2D, w: Tensor2D, k: number, ctx: SearchContext): Promise<SearchResult>;
  /**
   * Optional hint that `w` is the codebook the next searches will use, so an index can be built
   * ahead of time. Core's training loops do **not** call it: every search receives the current
   * `w`, and an index-based strategy must notice a changed codebook itself (tfjs tensors are
   * immutable, so a new tensor means new weights). The conformance suite calls it.
   */
  rebuild?(w: Tensor2D): void | Promise<void>;
  dispose?(): void;
}

/**
 * The name of contract version 1 for a search strategy. Version 1 also carried engine hooks
 * (`searchAsync` + `product`, `minibatchStep(s)`, `neuronSums`); those moved to {@link Engine}.
 * @deprecated Use {@link SearchStrategy}.
 */
export type SearchBackend<O = unknown> = SearchStrategy<O>;

/**
 * A neighbourhood kernel over a grid as a small table: the weight between units `a` and `b` is
 * `values[base[a] + offset[b]]` — so a kernel row (all units against one BMU) is a gather, and
 * nothing of size [u, u] exists. Core builds it from grid offsets: on a rectangular grid the
 * squared distance depends only on (Δrow, Δcol), on an odd-r hexagonal grid also on the parity of
 * `a`'s row, on a torus on the wrapped offsets; `values` holds the kernel at those offsets
 * (at most 2·(2·rows − 1)·(2·cols − 1) entries, about 8·u), already multiplied by the step's
 * scale (α / b for minibatch, 1 for batch-map). Symmetric in value: `h(a, b) = h(b, a)`.
 */
export interface NeighborhoodTable {
  /** Kernel values, float32. */
  readonly values: Float32Array;
  /** [u] where unit `a`'s row of the table starts. */
  readonly base: Int32Array;
  /** [u] unit `b`'s offset within any row. */
  readonly offset: Int32Array;
}

/** What an engine is told when asked whether it can serve a model, and when a session is opened. */
export interface EngineContext {
  /** Active tfjs backend name (`tf.getBackend()`). */
  readonly backend: string;
  readonly distance: DistancePlugin;
  readonly units: number;
  readonly dims: number;
}

/**
 * Best units already found for the rows of a kernel job by a search strategy that is not exact;
 * when core passes them, an engine must use them instead of searching. [n, k] row-major.
 */
export interface GivenSearch {
  readonly indices: Int32Array;
  readonly distances: Float32Array;
}

/** Input of the `bmu` kernel. Arrays are row-major float32 views, valid only during the call; do not modify. */
export interface BmuJob {
  /** [n, d] samples. */
  readonly x: Float32Array;
  /** [u, d] codebook. */
  readonly weights: Float32Array;
  readonly samples: number;
  readonly units: number;
  readonly dims: number;
  /** Best units wanted per sample, 1 ≤ k ≤ u. */
  readonly k: number;
  /**
   * True when `x` may hold NaN at missing cells (`missing: 'mask'`): distances over the observed
   * dimensions (the distance's `masked` form), updates of the observed dimensions only. Core sends
   * it only to the kernels an engine lists in {@link EngineSession.maskedKernels}.
   */
  readonly missing?: boolean;
}

/** Output of the `bmu` kernel; the caller owns the arrays. */
export interface BmuResult {
  /** [n, k] best units per sample, nearest first (ties: lower unit index). */
  indices: Int32Array;
  /** [n, k] their distances under the context's distance. */
  distances: Float32Array;
}

/** Input of the `neuronSums` kernel (batch-map pass, streaming chunks, distributed shards). */
export interface NeuronSumsJob extends BmuJob {
  /** Search results of a non-exact strategy; when given, the kernel sums by these BMUs and returns them. */
  readonly given?: GivenSearch;
}

/** Output of the `neuronSums` kernel; the caller owns the arrays. */
export interface NeuronSumsResult extends BmuResult {
  /**
   * [u, d + 1]: Σ x over the samples whose BMU is the unit, then their count. The summation order
   * must be fixed for a given engine and thread count (same input → same bits).
   */
  sums: Float32Array;
  /**
   * [u, d] with `missing`: per unit and dimension, the number of samples with that dimension
   * observed (the batch-map denominator of each dimension); `sums` then adds observed values only.
   */
  counts?: Float32Array;
}

/**
 * Input of the `minibatchSteps` kernel: several consecutive minibatch steps (TorchSOM's rule) in
 * one call. Step j takes rows `rows[j·b … (j+1)·b)` of `x`, finds their BMUs under the codebook
 * it starts from, and applies `W ← W + Hᵀ X − (Σ_b H) ∘ W` with `H` [b, u] the kernel rows at the
 * BMUs (α / b folded into the table). Arrays are views valid only during the call; do not modify.
 */
export interface MinibatchStepsJob {
  /** [n, d] the samples the steps draw from. */
  readonly x: Float32Array;
  /** [steps · batch] row indices into `x`, each in [0, n). */
  readonly rows: Int32Array;
  /** [u, d] the codebook before the first step. */
  readonly weights: Float32Array;
  /** The kernel of every step of the call, scaled by α / batch. */
  readonly kernel: NeighborhoodTable;
  readonly batch: number;
  readonly steps: number;
  readonly samples: number;
  readonly units: number;
  readonly dims: number;
  /** Best units wanted per sample for QE/TE (1 or 2). */
  readonly k: number;
  /** With a non-exact strategy core sends one step per call, with the strategy's search result here. */
  readonly given?: GivenSearch;
  /**
   * True when `x` may hold NaN at missing cells: the search uses the masked distance, and a step
   * updates observed dimensions only, `W ← W + Hᵀ X̃ − (Hᵀ M) ∘ W` with X̃ the samples with missing
   * cells as 0 and M [b, d] their 0/1 observed mask.
   */
  readonly missing?: boolean;
}

/** Output of the `minibatchSteps` kernel; the caller owns the arrays. */
export interface MinibatchStepsResult extends BmuResult {
  /** [u, d] the codebook after the last step; `indices`/`distances` are [steps · batch, k], each under the codebook its step started from. */
  weights: Float32Array;
}

/** Input of the `neighborhoodProduct` kernel: `out = G · m` with `G[a, b]` the table's weight between units a and b. */
export interface NeighborhoodProductJob {
  readonly kernel: NeighborhoodTable;
  /** [u, c] row-major (batch-map: the per-neuron sums `[S | m]`, c = d + 1). */
  readonly m: Float32Array;
  readonly units: number;
  readonly columns: number;
}

/**
 * The named kernels of the training system. Core's tfjs code is the reference implementation of
 * every name (engine `'tfjs'`); an engine implements only the ones it accelerates and core takes
 * the reference for the rest — the way tfjs looks a kernel up per backend.
 */
export interface EngineKernels {
  /** k best units of samples against the codebook (exact, under the context's distance). */
  bmu?(job: BmuJob): Promise<BmuResult>;
  /** Search plus per-neuron sums of a chunk of samples (batch-map). */
  neuronSums?(job: NeuronSumsJob): Promise<NeuronSumsResult>;
  /** Several minibatch steps. */
  minibatchSteps?(job: MinibatchStepsJob): Promise<MinibatchStepsResult>;
  /** [u, c] = G · m, the batch-map neighbourhood product. */
  neighborhoodProduct?(job: NeighborhoodProductJob): Promise<Float32Array>;
}

/** The kernel names of {@link EngineKernels}. */
export type KernelName = keyof EngineKernels;

/** Every kernel name, in a fixed order. */
export const KERNEL_NAMES: readonly KernelName[] = Object.freeze(['bmu', 'neuronSums', 'minibatchSteps', 'neighborhoodProduct'] as const);

/**
 * An open engine: the kernels it runs and the native state behind them (runtime sessions, worker
 * pools, caches). Whoever opened it closes it; core closes the sessions it opens and never an
 * engine object the user passed in.
 */
export interface EngineSession {
  readonly kernels: EngineKernels;
  /**
   * The kernels that handle jobs with `missing: true` (NaN cells as missing values). For data with
   * missing values core runs every other kernel on its tfjs reference, and says so once.
   */
  readonly maskedKernels?: readonly KernelName[];
  /** Frees the session's native state. Idempotent. */
  close(): void | Promise<void>;
}

/**
 * An engine: where and how the training arithmetic runs (tfjs, ONNX Runtime, worker threads, a
 * GPU runtime). A run-time choice — `fit(x, { engine })`, `useEngine(...)`, `--engine` — never
 * saved in a model file. Results must match the tfjs reference kernels within float tolerance
 * and be deterministic for a given engine and thread count.
 */
export interface Engine<O = unknown> extends PluginBase<'engine', O> {
  /** Higher wins in `engine: 'auto'` (set from measurements; the tfjs reference has 0). */
  readonly priority: number;
  /** `true` when the engine can serve this model here, otherwise the reason. */
  supports(ctx: EngineContext): true | string;
  /** Opens a session for one model; the caller closes it. */
  open(ctx: EngineContext): EngineSession | Promise<EngineSession>;
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
  search: SearchStrategy;
  engine: Engine;
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
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface EngineNames {}

/** A name from an augmented map, or any string when nothing was registered at type level. */
type NameOf<M> = [keyof M] extends [never] ? string : (keyof M & string) | (string & {});

/** A distance given as a plugin object or a registry name. */
export type DistanceRef = DistancePlugin | NameOf<DistanceNames> | PluginSpec;
export type NeighborhoodRef = NeighborhoodPlugin | NameOf<NeighborhoodNames> | PluginSpec;
export type ScheduleRef = SchedulePlugin | NameOf<ScheduleNames> | PluginSpec;
export type SearchRef = SearchStrategy | 'auto' | NameOf<SearchNames> | PluginSpec;
/** An engine given as an object, a registry name, or `'auto'`. */
export type EngineRef = Engine | 'auto' | NameOf<EngineNames> | PluginSpec;
