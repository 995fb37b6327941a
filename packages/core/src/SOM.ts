import * as tf from '@tensorflow/tfjs-core';
import {
  logger,
  SomError,
  type AbortSignalLike,
  type Codebook,
  type SearchBackend,
  type SearchContext,
} from '@somkit/plugin-api';
import { resolveSearch } from '@somkit/search';
import { resolveConfig, type SomConfig, type SomOptions, type SomPlugins, type InitMode } from './config.js';
import { Grid } from './Grid.js';
import { Rng } from './Rng.js';
import { StepPacer } from './StepPacer.js';
import { distinctCodes, expandCodes, type GridCodes } from './gridCodes.js';
import { initCodebook } from './initCodebook.js';
import { toMatrix, type MatrixInput, type ValidMatrix } from './toMatrix.js';
import { modelFromJSON, modelToJSON, type SomModelJSON } from './modelJson.js';
import { buildMap } from './maps/buildMap.js';
import { buildMaps, type SharedMapInputs } from './maps/buildMaps.js';
import type { BmusData, MapOptions, MapSpec, MapType } from './maps/MapOptions.js';
import type { MapData } from '@somkit/plugin-api';

/** Per-epoch values passed to `onEpochEnd` and kept in the history. */
export interface EpochLogs {
  /** 0-based epoch index within this `fit` call. */
  epoch: number;
  /** Mean distance of each sample to its BMU, measured during the epoch's pass. */
  qe: number;
  /** Fraction of samples whose two best units are not grid neighbours, same pass. */
  te: number;
  learningRate: number;
  sigma: number;
  seconds: number;
}

/** What `fit` returns: one entry per epoch. */
export interface FitHistory {
  qe: number[];
  te: number[];
  learningRate: number[];
  sigma: number[];
  seconds: number[];
}

/** Options of {@link SOM.fit}. */
export interface FitOptions {
  /** Called after every epoch; may be async. The codebook of that epoch is readable inside it (`getWeights()`). */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  /**
   * Stops training between batches; `fit` then rejects with `ERR_ABORTED`. With an engine that runs
   * several batches per call (`minibatchSteps`), between calls — one `yieldEvery` interval apart.
   */
  signal?: AbortSignalLike;
  /**
   * When to give the event loop a turn so a browser tab stays responsive (tfjs-layers semantics):
   * 'auto' (default: whenever 25 ms passed), 'batch', 'epoch', 'never', or a number of ms.
   */
  yieldEvery?: 'auto' | 'batch' | 'epoch' | 'never' | number;
  /** Shuffle samples each epoch (minibatch rule). Default true. */
  shuffle?: boolean;
  /** Override the configured epochs for this call. */
  epochs?: number;
}

/** Per-neuron sums of a data shard (see {@link SOM.accumulate}); additive across shards. */
export interface NeuronSums {
  /** [u, d + 1] row-major: Σ x of the samples whose BMU is the unit, then their count. */
  sums: Float32Array;
  /** Σ of the samples' distances to their BMU. */
  qeSum: number;
  /** Number of samples whose two best units are not neighbours. */
  teCount: number;
  /** Samples in the shard. */
  n: number;
  units: number;
  dims: number;
}

/**
 * Adds per-neuron sums of disjoint shards (in float64, so the merge order changes nothing
 * beyond float32 rounding of the result).
 */
export function mergeSums(parts: readonly NeuronSums[]): NeuronSums {
  const first = parts[0];
  if (first === undefined) throw new SomError('ERR_EMPTY_INPUT', 'mergeSums: expected at least one NeuronSums.');
  const acc = new Float64Array(first.sums.length);
  let qeSum = 0;
  let teCount = 0;
  let n = 0;
  for (const p of parts) {
    if (p.units !== first.units || p.dims !== first.dims || p.sums.length !== acc.length) {
      throw new SomError('ERR_SHAPE_MISMATCH', `mergeSums: shards disagree: ${first.units}×${first.dims} vs ${p.units}×${p.dims}.`);
    }
    for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + p.sums[i]!;
    qeSum += p.qeSum;
    teCount += p.teCount;
    n += p.n;
  }
  return { sums: Float32Array.from(acc), qeSum, teCount, n, units: first.units, dims: first.dims };
}

/** k best units per sample, as plain arrays. */
export interface TopUnits {
  /** [n, k] flat unit indices, row-major, nearest first. */
  indices: Int32Array;
  /** [n, k] distances, ascending per sample. */
  distances: Float32Array;
  k: number;
}

/** Threshold on the squared plane distance of the two best units for TE: 8-neighbours on rectangular (√2), 6 on hexagonal (1). */
const TE_PLANE_DIST2 = 1.5 * 1.5;

/** What one minibatch epoch needs (either path). */
interface MinibatchEpochArgs {
  m: ValidMatrix;
  lr: number;
  sigma: number;
  search: { backend: SearchBackend; ctx: SearchContext };
  grid: { cx: tf.Tensor1D; cy: tf.Tensor1D; cxCol: tf.Tensor2D; cyCol: tf.Tensor2D };
  shuffle: boolean;
  checkAbort: () => void;
  maybeYield: (level: 'batch') => Promise<void>;
  /** The [u, u] squared grid distances as codes into their distinct values, built on first use and kept for the rest of the fit call. */
  gridCodes: () => Promise<GridCodes>;
  /** Steps per `minibatchSteps` call, paced to the `yieldEvery` budget over the whole fit call. */
  pace: StepPacer;
}

/** Rows `order[start..start+size)` of `data` [n, d] into `out`, a plain loop (no per-row views). */
function gatherRows(data: Float32Array, order: Int32Array, start: number, size: number, d: number, out: Float32Array): void {
  for (let i = 0; i < size; i++) {
    const from = order[start + i]! * d;
    const to = i * d;
    for (let j = 0; j < d; j++) out[to + j] = data[from + j]!;
  }
}

/** The samples [n, d] in CPU memory: the validated input itself when there is one, else a read of the tensor. */
async function hostSamples(m: ValidMatrix): Promise<Float32Array> {
  return m.host ?? ((await m.tensor.data()) as Float32Array);
}

/** A copy of `a` times `f`. */
function scaled(a: Float32Array, f: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! * f;
  return out;
}

/** Largest map for which core hands a [u, u] kernel table (≤ 64 MiB) to an engine's minibatchStep. */
const KERNEL_TABLE_MAX_UNITS = 4096;

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    const g = globalThis as { setImmediate?: (f: () => void) => void };
    if (typeof g.setImmediate === 'function') g.setImmediate(resolve);
    else setTimeout(resolve, 0);
  });

declare function setTimeout(f: () => void, ms: number): unknown;

/**
 * A self-organizing map: TorchSOM's SOM on TensorFlow.js, with two named training rules
 * (`minibatch`, `batch-map`), rectangular/hexagonal grids, torus, random/PCA init, QE/TE, and
 * versioned model files. All public results are plain typed arrays; tensors stay inside.
 *
 * ```ts
 * const som = new SOM({ rows: 10, cols: 10, dims: 4, topology: 'hexagonal', init: 'pca' });
 * const history = await som.fit(data);      // data: number[][] | {data, shape} | Tensor2D, [n, 4]
 * const qe = await som.quantizationError(data);
 * som.dispose();
 * ```
 */
export class SOM {
  /** Validated settings (JSON-serializable). */
  readonly config: Readonly<SomConfig>;
  /** The grid geometry. */
  readonly grid: Grid;
  /** Resolved plugins. */
  readonly plugins: Readonly<SomPlugins>;
  /** History of all epochs trained so far (across `fit` calls). */
  readonly history: FitHistory = { qe: [], te: [], learningRate: [], sigma: [], seconds: [] };

  private readonly extra: readonly unknown[];
  private readonly rng: Rng;
  private w: tf.Tensor2D | undefined;
  private weightsCache: Float32Array | undefined;
  private searchBackend: SearchBackend | undefined;
  private gridTensors: { cx: tf.Tensor1D; cy: tf.Tensor1D; cxCol: tf.Tensor2D; cyCol: tf.Tensor2D } | undefined;
  private disposed = false;

  constructor(options: SomOptions) {
    const { config, plugins, extra } = resolveConfig(options);
    this.config = Object.freeze(config);
    this.plugins = Object.freeze(plugins);
    this.extra = extra;
    this.grid = new Grid(config);
    this.rng = new Rng(config.seed);
  }

  /** Number of units (rows·cols). */
  get units(): number {
    return this.grid.units;
  }

  /** Features per sample. */
  get dims(): number {
    return this.config.dims;
  }

  /** True once the codebook has been initialised (by `initialize`, `fit`, `setWeights` or `fromJSON`). */
  get isInitialized(): boolean {
    return this.w !== undefined;
  }

  /** Name of the search backend in use (after the first search), with `auto` resolved. */
  get searchName(): string | undefined {
    return this.searchBackend?.name;
  }

  /**
   * Initialises the codebook from data (TorchSOM `initialize_weights`).
   * @param data - samples [n, dims]
   * @param mode - overrides `config.init`
   */
  async initialize(data: MatrixInput, mode: InitMode = this.config.init): Promise<void> {
    this.assertAlive();
    const m = await toMatrix(data, this.config.dims);
    try {
      await this.initFrom(m, mode);
    } finally {
      if (m.owned) m.tensor.dispose();
    }
  }

  private async initFrom(m: ValidMatrix, mode: InitMode): Promise<void> {
    const w = await initCodebook(m.tensor, this.grid, mode, this.rng);
    await this.replaceWeights(w);
  }

  private async replaceWeights(w: tf.Tensor2D): Promise<void> {
    this.w?.dispose();
    this.w = w;
    this.weightsCache = await w.data() as Float32Array;
  }

  /**
   * Sets the codebook.
   * @param weights - [u, dims] with u = rows·cols, unit u = row·cols + col
   */
  async setWeights(weights: MatrixInput): Promise<void> {
    this.assertAlive();
    const m = await toMatrix(weights, this.config.dims, 'weights');
    if (m.n !== this.units) {
      if (m.owned) m.tensor.dispose();
      throw new SomError('ERR_SHAPE_MISMATCH', `Expected weights of shape [${this.units}, ${this.config.dims}] (rows·cols units), got [${m.n}, ${m.d}].`);
    }
    await this.replaceWeights(m.owned ? m.tensor : tf.clone(m.tensor));
  }

  /** A copy of the codebook, [u, d] row-major. */
  getWeights(): Float32Array {
    return new Float32Array(this.requireCache());
  }

  /** The codebook as plain data with the grid geometry (for clustering, viz, export). */
  getCodebook(): Codebook {
    return {
      weights: this.getWeights(),
      units: this.units,
      dims: this.config.dims,
      rows: this.grid.rows,
      cols: this.grid.cols,
      coords: new Float32Array(this.grid.coords),
      topology: this.grid.topology,
      pbc: this.grid.pbc,
    };
  }

  /**
   * Trains the map. Initialises the codebook first if needed (with `config.init`).
   * @param data - samples [n, dims]; held on the active backend for the duration of the call
   * @returns per-epoch history of this call
   */
  async fit(data: MatrixInput, options: FitOptions = {}): Promise<FitHistory> {
    this.assertAlive();
    const epochs = options.epochs ?? this.config.epochs;
    if (!Number.isInteger(epochs) || epochs < 1) {
      throw new SomError('ERR_INVALID_CONFIG', `epochs: expected an integer ≥ 1, got ${String(epochs)}.`);
    }
    const ye = options.yieldEvery ?? 'auto';
    if (!(ye === 'auto' || ye === 'batch' || ye === 'epoch' || ye === 'never' || (typeof ye === 'number' && ye >= 0))) {
      throw new SomError('ERR_INVALID_CONFIG', `yieldEvery: expected 'auto', 'batch', 'epoch', 'never' or a number of ms ≥ 0, got ${JSON.stringify(ye)}.`);
    }
    const m = await toMatrix(data, this.config.dims);
    const out: FitHistory = { qe: [], te: [], learningRate: [], sigma: [], seconds: [] };
    // The [u, u] squared grid distances behind the engine hooks' kernel table, built once per call.
    let gridCodes: Promise<GridCodes> | undefined;
    try {
      if (this.w === undefined) await this.initFrom(m, this.config.init);
      const search = this.getSearch();
      const grid = this.getGridTensors();
      let lastYield = now();
      const maybeYield = async (level: 'batch' | 'epoch'): Promise<void> => {
        const t = now();
        const due =
          ye === 'batch' ? true :
          ye === 'epoch' ? level === 'epoch' :
          ye === 'never' ? false :
          ye === 'auto' ? t - lastYield >= 25 :
          t - lastYield >= ye;
        if (due) {
          await yieldToEventLoop();
          lastYield = now();
        }
      };
      const checkAbort = (): void => {
        if (options.signal?.aborted === true) {
          throw new SomError('ERR_ABORTED', `Training was aborted after ${this.history.qe.length} epochs; the codebook keeps its last update.`, { cause: options.signal.reason });
        }
      };
      const totalEpochs = epochs;
      // An engine's multi-step calls last about one yield interval (one step with 'batch').
      const pace = new StepPacer(ye === 'batch' ? 0 : typeof ye === 'number' ? ye : 25);
      // Samples in CPU memory, read once per call for an engine's hooks.
      let hostData: Float32Array | undefined;
      for (let e = 0; e < totalEpochs; e++) {
        checkAbort();
        const t0 = now();
        const lr = this.plugins.lrDecay.value(this.config.learningRate, e, totalEpochs);
        const sigma = this.plugins.sigmaDecay.value(this.config.sigma, e, totalEpochs);
        if (!(sigma > 0) || !Number.isFinite(sigma) || !Number.isFinite(lr)) {
          throw new SomError('ERR_INVALID_CONFIG', `The schedules gave sigma=${sigma}, learningRate=${lr} at epoch ${e}; sigma must stay > 0 and both finite. Check sigmaDecay/lrDecay.`);
        }
        const shuffle = options.shuffle ?? true;
        const host = async (): Promise<Float32Array> => (hostData ??= await hostSamples(m));
        const args: MinibatchEpochArgs = { m, lr, sigma, search, grid, shuffle, checkAbort, maybeYield, pace, gridCodes: () => (gridCodes ??= this.gridCodes(grid)) };
        const sums =
          this.config.rule === 'batch-map'
            ? await this.batchMapEpoch(m, sigma, search, grid, host)
            : (search.backend.minibatchSteps !== undefined || search.backend.minibatchStep !== undefined) && this.units <= KERNEL_TABLE_MAX_UNITS
              ? await this.minibatchEpochStep(args, await host())
              : await this.minibatchEpoch(args);
        const [qeSum, teCount] = await Promise.all([sums.qeSum.data(), sums.teCount.data()]);
        tf.dispose([sums.qeSum, sums.teCount]);
        const logs: EpochLogs = {
          epoch: e,
          qe: qeSum[0]! / m.n,
          te: this.units < 2 ? Number.NaN : teCount[0]! / m.n,
          learningRate: lr,
          sigma,
          seconds: (now() - t0) / 1000,
        };
        for (const h of [out, this.history]) {
          h.qe.push(logs.qe);
          h.te.push(logs.te);
          h.learningRate.push(lr);
          h.sigma.push(sigma);
          h.seconds.push(logs.seconds);
        }
        if (options.onEpochEnd) {
          // One read per epoch so getWeights()/getCodebook()/toJSON() work inside the callback.
          await this.hostWeights();
          await options.onEpochEnd(e, logs);
        }
        await maybeYield('epoch');
      }
    } finally {
      if (m.owned) m.tensor.dispose();
      if (this.w !== undefined) await this.hostWeights();
    }
    return out;
  }

  /** TorchSOM's rule: per batch B, w_k ← w_k + (α/|B|)·Σ_b h_bk (x_b − w_k). */
  private async minibatchEpoch(a: MinibatchEpochArgs): Promise<{ qeSum: tf.Scalar; teCount: tf.Scalar }> {
    const { m, lr, sigma, search, grid, shuffle, checkAbort, maybeYield } = a;
    const n = m.n;
    const bs = Math.min(this.config.batchSize, n);
    const order = tf.tensor1d(shuffle ? this.rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i), 'int32');
    let qeSum = tf.scalar(0);
    let teCount = tf.scalar(0);
    try {
      for (let start = 0; start < n; start += bs) {
        checkAbort();
        const size = Math.min(bs, n - start);
        const xb = tf.tidy(() => tf.gather(m.tensor, tf.slice(order, [start], [size])));
        const top = await this.searchTop(xb, this.w!, search);
        // [u, size] kernel weights from squared plane distances to each sample's BMU.
        const h = tf.tidy(() => {
          const bmu = tf.reshape(tf.slice(top.indices, [0, 0], [size, 1]), [size]) as tf.Tensor1D;
          return this.plugins.neighborhood.weights(this.gridDist2ToUnits(bmu, grid), sigma);
        });
        // Σ_b h_bk x_b → [u, d] (engine hook or tfjs matMul).
        const num = await this.product(search.backend, h, xb);
        const next = tf.tidy(() => {
          const w = this.w!;
          const mass = tf.sum(h, 1, true);
          const wNew = tf.add(w, tf.mul(lr / size, tf.sub(num, tf.mul(mass, w)))) as tf.Tensor2D;
          const stats = this.passStats(top);
          return { wNew, qe: tf.add(qeSum, stats.qe) as tf.Scalar, te: tf.add(teCount, stats.te) as tf.Scalar };
        });
        tf.dispose([xb, top.indices, top.distances, h, num, this.w!, qeSum, teCount]);
        this.w = next.wNew;
        this.weightsCache = undefined;
        qeSum = next.qe;
        teCount = next.te;
        await maybeYield('batch');
      }
      return { qeSum, teCount };
    } catch (e) {
      tf.dispose([qeSum, teCount]);
      throw e;
    } finally {
      order.dispose();
    }
  }

  /**
   * The minibatch rule through the search backend's engine hooks: the same update as
   * {@link minibatchEpoch} over plain arrays, with the [u, u] kernel table built once per epoch with
   * the neighbourhood plugin. `minibatchSteps` (preferred) takes several batches per call — as many
   * as fit the `yieldEvery` budget — and gathers the shuffled rows itself; `minibatchStep` takes one
   * batch per call, gathered here.
   */
  private async minibatchEpochStep(a: MinibatchEpochArgs, data: Float32Array): Promise<{ qeSum: tf.Scalar; teCount: tf.Scalar }> {
    const { m, lr, sigma, search, shuffle, checkAbort, maybeYield } = a;
    const n = m.n;
    const d = this.config.dims;
    const u = this.units;
    const k = Math.min(2, u);
    const bs = Math.min(this.config.batchSize, n);
    const order = shuffle ? this.rng.permutation(n) : undefined;
    // The table for full batches comes scaled by α/b; a shorter last batch gets its own table.
    const codes = await a.gridCodes();
    const values = await this.kernelValues(codes, sigma, lr / bs);
    const full = expandCodes(values, codes.codes);
    let tail: Float32Array | undefined;
    const tableFor = (size: number): Float32Array => (size === bs ? full : (tail ??= expandCodes(scaled(values, bs / size), codes.codes)));
    const before = await this.hostWeights();
    let weights = before;
    let qeSum = 0;
    let teCount = 0;
    const backend = search.backend;
    /** Takes one hook call's output: checks its sizes and adds its QE/TE. */
    const take = (hook: string, out: { weights: Float32Array; indices: Int32Array; distances: Float32Array }, rows: number): void => {
      if (out.weights.length !== u * d || out.indices.length !== rows * k || out.distances.length !== rows * k) {
        throw new SomError('ERR_SHAPE_MISMATCH', `Search backend '${backend.name}': ${hook} returned arrays of ${out.weights.length}, ${out.indices.length} and ${out.distances.length} values; expected ${u * d} (weights), ${rows * k} (indices) and ${rows * k} (distances).`);
      }
      weights = out.weights;
      const stats = this.hostStats(out.indices, out.distances, rows, k);
      qeSum += stats.qe;
      teCount += stats.te;
    };
    try {
      if (backend.minibatchSteps !== undefined) {
        const hook = backend.minibatchSteps.bind(backend);
        const rows = order ?? Int32Array.from({ length: n }, (_, i) => i);
        for (let start = 0; start < n; ) {
          checkAbort();
          const size = Math.min(bs, n - start);
          const steps = size < bs ? 1 : Math.min(Math.floor((n - start) / bs), a.pace.next());
          const t0 = now();
          const out = await hook({ x: data, rows: rows.subarray(start, start + steps * size), weights, kernel: tableFor(size), batch: size, steps, samples: n, units: u, dims: d, k }, search.ctx);
          a.pace.record(steps, now() - t0);
          take('minibatchSteps', out, steps * size);
          start += steps * size;
          await maybeYield('batch');
        }
      } else {
        const hook = backend.minibatchStep!.bind(backend);
        const batch = new Float32Array(bs * d);
        for (let start = 0; start < n; start += bs) {
          checkAbort();
          const size = Math.min(bs, n - start);
          let x: Float32Array;
          if (order === undefined) {
            x = data.subarray(start * d, (start + size) * d);
          } else {
            gatherRows(data, order, start, size, d, batch);
            x = batch.subarray(0, size * d);
          }
          take('minibatchStep', await hook({ x, weights, kernel: tableFor(size), batch: size, units: u, dims: d, k }, search.ctx), size);
          await maybeYield('batch');
        }
      }
    } finally {
      // Also when aborted or failed mid-epoch: the codebook keeps the batches already applied.
      if (weights !== before) {
        const next = tf.tensor2d(weights, [u, d], 'float32');
        this.w!.dispose();
        this.w = next;
        this.weightsCache = undefined;
      }
    }
    return { qeSum: tf.scalar(qeSum), teCount: tf.scalar(teCount) };
  }

  /** The codebook [u, d] as plain data: the cache, filled from the tensor when it was invalidated. */
  private async hostWeights(): Promise<Float32Array> {
    return (this.weightsCache ??= (await this.w!.data()) as Float32Array);
  }

  /** QE sum and TE count of a search result held in plain arrays ([n, k] row-major); see {@link passStats}. */
  private hostStats(indices: Int32Array, distances: Float32Array, n: number, k: number): { qe: number; te: number } {
    let qe = 0;
    let te = 0;
    for (let i = 0; i < n; i++) {
      qe += distances[i * k]!;
      if (k > 1 && this.grid.planeDistance2(indices[i * k]!, indices[i * k + 1]!) > TE_PLANE_DIST2) te++;
    }
    return { qe, te };
  }

  /**
   * Per-neuron sums `[S | m]` [u, d + 1], QE sum and TE count of samples [n, d] held in CPU memory,
   * through the search backend's `neuronSums` engine hook (checked for sizes).
   */
  private async engineSums(data: Float32Array, n: number, search: { backend: SearchBackend; ctx: SearchContext }): Promise<{ sums: Float32Array; qe: number; te: number }> {
    const u = this.units;
    const d = this.config.dims;
    const k = Math.min(2, u);
    const out = await search.backend.neuronSums!({ x: data, weights: await this.hostWeights(), samples: n, units: u, dims: d, k }, search.ctx);
    if (out.sums.length !== u * (d + 1) || out.indices.length !== n * k || out.distances.length !== n * k) {
      throw new SomError('ERR_SHAPE_MISMATCH', `Search backend '${search.backend.name}': neuronSums returned arrays of ${out.sums.length}, ${out.indices.length} and ${out.distances.length} values; expected ${u * (d + 1)} (sums), ${n * k} (indices) and ${n * k} (distances).`);
    }
    return { sums: out.sums, ...this.hostStats(out.indices, out.distances, n, k) };
  }

  /**
   * `scale·h(d², σ)` for each distinct squared grid distance of {@link gridCodes} (the neighbourhood
   * plugin is elementwise, so the [u, u] table is these values spread by the codes).
   */
  private async kernelValues(codes: GridCodes, sigma: number, scale: number): Promise<Float32Array> {
    const g = tf.tidy(() => tf.mul(this.plugins.neighborhood.weights(tf.tensor1d(codes.values, 'float32'), sigma), scale));
    try {
      return (await g.data()) as Float32Array;
    } finally {
      g.dispose();
    }
  }

  /**
   * The [u, u] squared grid distances as indices into their distinct values — a few hundred on a
   * 32 × 32 grid — so each epoch's kernel table costs the kernel on those values plus a copy,
   * instead of the kernel on u² values (31 ms per epoch at u = 1024 on wasm, mostly `exp` of
   * subnormal tails).
   */
  private async gridCodes(grid: NonNullable<SOM['gridTensors']>): Promise<GridCodes> {
    const t = tf.tidy(() => this.gridDist2Block(0, this.units, grid));
    let d2: Float32Array;
    try {
      d2 = (await t.data()) as Float32Array;
    } finally {
      t.dispose();
    }
    const codes = new Int32Array(d2.length);
    const values = distinctCodes(d2, codes);
    return { values, codes };
  }

  /**
   * Kohonen's batch map from per-neuron sums: S = onehot(c)ᵀX [u, d], m = counts [u],
   * W = (G S) / (G m) with G the [u, u] grid kernel; units with zero mass keep their weights.
   */
  private async batchMapEpoch(
    m: ValidMatrix,
    sigma: number,
    search: { backend: SearchBackend; ctx: SearchContext },
    grid: NonNullable<SOM['gridTensors']>,
    hostData: () => Promise<Float32Array>,
  ): Promise<{ qeSum: tf.Scalar; teCount: tf.Scalar }> {
    if (search.backend.neuronSums !== undefined) {
      const r = await this.engineSums(await hostData(), m.n, search);
      const sums = tf.tensor2d(r.sums, [this.units, this.config.dims + 1], 'float32');
      try {
        await this.applyBatchMap(sums, sigma, search, grid);
      } finally {
        sums.dispose();
      }
      return { qeSum: tf.scalar(r.qe), teCount: tf.scalar(r.te) };
    }
    const top = await this.searchTop(m.tensor, this.w!, search);
    const sums = tf.tidy(() => this.neuronSums(m.tensor, top));
    const stats = tf.tidy(() => this.passStats(top));
    tf.dispose([top.indices, top.distances]);
    try {
      await this.applyBatchMap(sums, sigma, search, grid);
    } finally {
      sums.dispose();
    }
    return { qeSum: stats.qe, teCount: stats.te };
  }

  /** [S | m] per-neuron sums and counts of samples [n, d] given their search result: [u, d + 1]. */
  private neuronSums(x: tf.Tensor2D, top: { indices: tf.Tensor2D }): tf.Tensor2D {
    const n = x.shape[0];
    const bmu = tf.slice(top.indices, [0, 0], [n, 1]);
    // Scatter adds duplicates: row k of the result is Σ over samples whose BMU is k.
    return tf.scatterND(bmu, tf.concat([x, tf.ones([n, 1])], 1), [this.units, this.config.dims + 1]) as tf.Tensor2D;
  }

  /** W ← (G S) / (G m) from per-neuron sums [u, d + 1]; zero-mass units keep their weights. */
  private async applyBatchMap(sums: tf.Tensor2D, sigma: number, search: { backend: SearchBackend; ctx: SearchContext }, grid: NonNullable<SOM['gridTensors']>): Promise<void> {
    const u = this.units;
    const d = this.config.dims;
    // G·[S | m] in row blocks so the [rows, u] kernel block stays bounded.
    const block = Math.max(1, Math.floor(4_194_304 / u));
    const parts: tf.Tensor2D[] = [];
    try {
      for (let r0 = 0; r0 < u; r0 += block) {
        const r = Math.min(block, u - r0);
        const g = tf.tidy(() => this.plugins.neighborhood.weights(this.gridDist2Block(r0, r, grid), sigma));
        try {
          parts.push(await this.product(search.backend, g, sums));
        } finally {
          g.dispose();
        }
      }
      const wNew = tf.tidy(() => {
        const gsm = parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
        const num = tf.slice(gsm, [0, 0], [u, d]);
        const den = tf.slice(gsm, [0, d], [u, 1]);
        // keep ∈ {0, 1} per unit, broadcast by arithmetic (a bool tile + where over [u, d] took
        // ~55 ms per epoch on wasm at 400 × 784; this is ~4 ms and gives the same values).
        const keep = tf.cast(tf.greater(den, 1e-12), 'float32');
        return tf.add(tf.mul(tf.div(num, tf.maximum(den, 1e-12)), keep), tf.mul(this.w!, tf.sub(1, keep))) as tf.Tensor2D;
      });
      this.w!.dispose();
      this.w = wNew;
      this.weightsCache = undefined;
    } finally {
      tf.dispose(parts);
    }
  }

  /** a·b through the search backend's engine hook when it has one, else tfjs matMul. */
  private async product(backend: SearchBackend, a: tf.Tensor2D, b: tf.Tensor2D): Promise<tf.Tensor2D> {
    return backend.product ? backend.product(a, b) : (tf.matMul(a, b) as tf.Tensor2D);
  }

  /** Squared plane distances [u, b] from every unit to each BMU in `bmu` [b] (torus-aware). */
  private gridDist2ToUnits(bmu: tf.Tensor1D, grid: NonNullable<SOM['gridTensors']>): tf.Tensor2D {
    const b = bmu.shape[0];
    const bx = tf.reshape(tf.gather(grid.cx, bmu), [1, b]);
    const by = tf.reshape(tf.gather(grid.cy, bmu), [1, b]);
    return this.dist2(tf.sub(grid.cxCol, bx), tf.sub(grid.cyCol, by));
  }

  /** Squared plane distances [r, u] between units r0..r0+r-1 and all units. */
  private gridDist2Block(r0: number, r: number, grid: NonNullable<SOM['gridTensors']>): tf.Tensor2D {
    const u = this.units;
    const rx = tf.slice(grid.cxCol, [r0, 0], [r, 1]);
    const ry = tf.slice(grid.cyCol, [r0, 0], [r, 1]);
    return this.dist2(tf.sub(rx, tf.reshape(grid.cx, [1, u])), tf.sub(ry, tf.reshape(grid.cy, [1, u])));
  }

  private dist2(dx: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
    if (this.grid.pbc) {
      // Minimum image per axis: d − L·round(d/L).
      const [lx, ly] = this.grid.period;
      dx = tf.sub(dx, tf.mul(lx, tf.round(tf.div(dx, lx))));
      dy = tf.sub(dy, tf.mul(ly, tf.round(tf.div(dy, ly))));
    }
    return tf.add(tf.square(dx), tf.square(dy));
  }

  /** QE sum and TE count of a search result [n, k]. */
  private passStats(top: { indices: tf.Tensor2D; distances: tf.Tensor2D }): { qe: tf.Scalar; te: tf.Scalar } {
    const n = top.indices.shape[0];
    const qe = tf.sum(tf.slice(top.distances, [0, 0], [n, 1])) as tf.Scalar;
    if (top.indices.shape[1] < 2) return { qe, te: tf.scalar(0) };
    const grid = this.gridTensors!;
    const i0 = tf.reshape(tf.slice(top.indices, [0, 0], [n, 1]), [n]);
    const i1 = tf.reshape(tf.slice(top.indices, [0, 1], [n, 1]), [n]);
    const d2 = this.dist2(
      tf.reshape(tf.sub(tf.gather(grid.cx, i0), tf.gather(grid.cx, i1)), [n, 1]),
      tf.reshape(tf.sub(tf.gather(grid.cy, i0), tf.gather(grid.cy, i1)), [n, 1]),
    );
    const te = tf.sum(tf.cast(tf.greater(d2, TE_PLANE_DIST2), 'float32')) as tf.Scalar;
    return { qe, te };
  }

  private searchTop(x: tf.Tensor2D, w: tf.Tensor2D, search: { backend: SearchBackend; ctx: SearchContext }): Promise<{ indices: tf.Tensor2D; distances: tf.Tensor2D }> {
    const k = Math.min(2, this.units);
    const b = search.backend;
    return b.searchAsync ? b.searchAsync(x, w, k, search.ctx) : Promise.resolve(b.search(x, w, k, search.ctx));
  }

  private getSearch(): { backend: SearchBackend; ctx: SearchContext } {
    const ctx: SearchContext = { backend: tf.getBackend(), distance: this.plugins.distance, units: this.units, dims: this.config.dims };
    if (this.searchBackend === undefined) {
      const ref = this.plugins.search ?? (this.config.search === 'auto' ? 'auto' : this.config.search);
      this.searchBackend = resolveSearch(ref, ctx, this.extra).backend;
    }
    return { backend: this.searchBackend, ctx };
  }

  private getGridTensors(): NonNullable<SOM['gridTensors']> {
    if (this.gridTensors === undefined) {
      const u = this.units;
      const xs = new Float32Array(u);
      const ys = new Float32Array(u);
      for (let i = 0; i < u; i++) {
        xs[i] = this.grid.coords[2 * i]!;
        ys[i] = this.grid.coords[2 * i + 1]!;
      }
      this.gridTensors = {
        cx: tf.tensor1d(xs),
        cy: tf.tensor1d(ys),
        cxCol: tf.tensor2d(xs, [u, 1]),
        cyCol: tf.tensor2d(ys, [u, 1]),
      };
    }
    return this.gridTensors;
  }

  /**
   * Per-neuron sums of one data chunk under the current codebook, for the batch-map rule:
   * `sums` [u, d + 1] row-major holds Σ x over the samples whose BMU is each unit, then their count;
   * plus the chunk's QE sum and TE count. Sums of disjoint chunks add up, so a pass over data larger
   * than memory, worker threads or machines can each reduce their shard and merge with
   * {@link mergeSums} before {@link applySums}.
   * @param chunk - samples [n, dims]
   */
  async accumulate(chunk: MatrixInput): Promise<NeuronSums> {
    this.assertAlive();
    const w = this.requireWeights();
    const m = await toMatrix(chunk, this.config.dims);
    try {
      const search = this.getSearch();
      this.getGridTensors();
      if (search.backend.neuronSums !== undefined) {
        const r = await this.engineSums(await hostSamples(m), m.n, search);
        return { sums: r.sums, qeSum: r.qe, teCount: r.te, n: m.n, units: this.units, dims: this.config.dims };
      }
      const top = await this.searchTop(m.tensor, w, search);
      const sums = tf.tidy(() => this.neuronSums(m.tensor, top));
      const stats = tf.tidy(() => this.passStats(top));
      tf.dispose([top.indices, top.distances]);
      const [s, qe, te] = await Promise.all([sums.data(), stats.qe.data(), stats.te.data()]);
      tf.dispose([sums, stats.qe, stats.te]);
      return { sums: s as Float32Array, qeSum: qe[0]!, teCount: te[0]!, n: m.n, units: this.units, dims: this.config.dims };
    } finally {
      if (m.owned) m.tensor.dispose();
    }
  }

  /**
   * Applies one batch-map update from (merged) per-neuron sums and records the epoch in the
   * history: W = (G S) / (G m) with G the grid kernel at the schedule's σ for `epoch` of `totalEpochs`.
   */
  async applySums(sums: NeuronSums, epoch: number, totalEpochs: number): Promise<EpochLogs> {
    this.assertAlive();
    this.requireWeights();
    if (sums.units !== this.units || sums.dims !== this.config.dims || sums.sums.length !== this.units * (this.config.dims + 1)) {
      throw new SomError('ERR_SHAPE_MISMATCH', `Expected sums for ${this.units} units × ${this.config.dims} dims (${this.units * (this.config.dims + 1)} values), got ${sums.units} × ${sums.dims} (${sums.sums.length} values). Were they computed by a SOM with another grid or width?`);
    }
    if (!Number.isInteger(totalEpochs) || totalEpochs < 1 || !Number.isInteger(epoch) || epoch < 0 || epoch >= totalEpochs) {
      throw new SomError('ERR_INVALID_CONFIG', `Expected 0 ≤ epoch < totalEpochs (integers), got epoch=${epoch}, totalEpochs=${totalEpochs}.`);
    }
    const t0 = now();
    const sigma = this.plugins.sigmaDecay.value(this.config.sigma, epoch, totalEpochs);
    const search = this.getSearch();
    const grid = this.getGridTensors();
    const t = tf.tensor2d(sums.sums, [this.units, this.config.dims + 1]);
    try {
      await this.applyBatchMap(t, sigma, search, grid);
    } finally {
      t.dispose();
    }
    await this.hostWeights();
    const logs: EpochLogs = {
      epoch,
      qe: sums.n > 0 ? sums.qeSum / sums.n : Number.NaN,
      te: sums.n > 0 && this.units >= 2 ? sums.teCount / sums.n : Number.NaN,
      learningRate: 0,
      sigma,
      seconds: (now() - t0) / 1000,
    };
    this.history.qe.push(logs.qe);
    this.history.te.push(logs.te);
    this.history.learningRate.push(0);
    this.history.sigma.push(sigma);
    this.history.seconds.push(logs.seconds);
    return logs;
  }

  /**
   * Trains with the batch-map rule over data that arrive in chunks (larger than memory): each
   * epoch re-opens `source` and reduces every chunk to per-neuron sums, so memory holds one chunk
   * plus [u, d + 1] sums. The codebook is initialised from the first chunk if needed.
   * @param source - called once per epoch; yields chunks [n_i, dims]
   */
  async fitStream(source: () => AsyncIterable<MatrixInput> | Iterable<MatrixInput>, options: Omit<FitOptions, 'shuffle' | 'yieldEvery'> = {}): Promise<FitHistory> {
    this.assertAlive();
    if (this.config.rule !== 'batch-map') {
      throw new SomError('ERR_INVALID_CONFIG', `fitStream needs rule: 'batch-map' (its per-neuron sums add up across chunks); this SOM uses '${this.config.rule}'. Use fit() for the minibatch rule.`);
    }
    if (typeof source !== 'function') {
      throw new SomError('ERR_INVALID_INPUT', 'fitStream(source): expected a function returning an (async) iterable of chunks, called once per epoch.');
    }
    const epochs = options.epochs ?? this.config.epochs;
    const out: FitHistory = { qe: [], te: [], learningRate: [], sigma: [], seconds: [] };
    for (let e = 0; e < epochs; e++) {
      const t0 = now();
      // Float64 running sums: many float32 chunk sums would otherwise lose precision.
      let acc: Float64Array | undefined;
      let qeSum = 0;
      let teCount = 0;
      let n = 0;
      for await (const chunk of source()) {
        if (options.signal?.aborted === true) {
          throw new SomError('ERR_ABORTED', `Training was aborted in epoch ${e}; the codebook keeps its last update.`, { cause: options.signal.reason });
        }
        if (this.w === undefined) await this.initialize(chunk);
        const part = await this.accumulate(chunk);
        acc ??= new Float64Array(part.sums.length);
        for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + part.sums[i]!;
        qeSum += part.qeSum;
        teCount += part.teCount;
        n += part.n;
        await yieldToEventLoop();
      }
      if (acc === undefined) throw new SomError('ERR_EMPTY_INPUT', `fitStream: the source yielded no chunks in epoch ${e}.`);
      const total: NeuronSums = { sums: Float32Array.from(acc), qeSum, teCount, n, units: this.units, dims: this.config.dims };
      const logs = await this.applySums(total, e, epochs);
      logs.seconds = (now() - t0) / 1000;
      this.history.seconds[this.history.seconds.length - 1] = logs.seconds;
      out.qe.push(logs.qe);
      out.te.push(logs.te);
      out.learningRate.push(0);
      out.sigma.push(logs.sigma);
      out.seconds.push(logs.seconds);
      await options.onEpochEnd?.(e, logs);
    }
    return out;
  }

  /**
   * The k best units of each sample (TorchSOM `search(data, weights, k)`).
   * @param data - samples [n, dims]
   * @param k - 1 ≤ k ≤ units
   */
  async topUnits(data: MatrixInput, k = 1): Promise<TopUnits> {
    this.assertAlive();
    const w = this.requireWeights();
    if (!Number.isInteger(k) || k < 1 || k > this.units) {
      throw new SomError('ERR_INVALID_INPUT', `k: expected an integer in [1, ${this.units}] (the number of units), got ${k}.`);
    }
    const m = await toMatrix(data, this.config.dims);
    try {
      const search = this.getSearch();
      const b = search.backend;
      const r = b.searchAsync ? await b.searchAsync(m.tensor, w, k, search.ctx) : b.search(m.tensor, w, k, search.ctx);
      const [indices, distances] = await Promise.all([r.indices.data(), r.distances.data()]);
      tf.dispose([r.indices, r.distances]);
      return { indices: indices as Int32Array, distances: distances as Float32Array, k };
    } finally {
      if (m.owned) m.tensor.dispose();
    }
  }

  /**
   * Flat BMU index of each sample (`u = row·cols + col`).
   * @returns [n] int32
   */
  async identifyBmus(data: MatrixInput): Promise<Int32Array> {
    return (await this.topUnits(data, 1)).indices;
  }

  /** Keras-style alias of {@link identifyBmus}: the BMU of each sample. */
  predict(data: MatrixInput): Promise<Int32Array> {
    return this.identifyBmus(data);
  }

  /**
   * BMU grid positions (TorchSOM `identify_bmus`).
   * @returns [n, 2] int32 (row, col) pairs, row-major
   */
  async bmuPositions(data: MatrixInput): Promise<Int32Array> {
    const flat = await this.identifyBmus(data);
    const out = new Int32Array(flat.length * 2);
    for (let i = 0; i < flat.length; i++) {
      out[2 * i] = Math.floor(flat[i]! / this.grid.cols);
      out[2 * i + 1] = flat[i]! % this.grid.cols;
    }
    return out;
  }

  /** Mean distance from each sample to its BMU, under the configured distance. */
  async quantizationError(data: MatrixInput): Promise<number> {
    return mean((await this.topUnits(data, 1)).distances);
  }

  /**
   * Fraction of samples whose best and second-best units are not neighbours: 8-neighbourhood on
   * rectangular grids, 6 on hexagonal, torus-aware. NaN (with a warning) for a 1-unit map.
   */
  async topographicError(data: MatrixInput): Promise<number> {
    return (await this.evaluate(data)).te;
  }

  /** QE and TE in one pass. */
  async evaluate(data: MatrixInput): Promise<{ qe: number; te: number; n: number }> {
    if (this.units < 2) {
      logger.warnOnce('te-1-unit', 'Topographic error is undefined for a 1-unit map; returning NaN.');
      const r = await this.topUnits(data, 1);
      return { qe: mean(r.distances), te: Number.NaN, n: r.indices.length };
    }
    const r = await this.topUnits(data, 2);
    const n = r.indices.length / 2;
    let qe = 0;
    let errors = 0;
    for (let i = 0; i < n; i++) {
      qe += r.distances[2 * i]!;
      if (this.grid.planeDistance2(r.indices[2 * i]!, r.indices[2 * i + 1]!) > TE_PLANE_DIST2) errors++;
    }
    return { qe: qe / n, te: errors / n, n };
  }

  /**
   * Distances from every sample to every unit (TorchSOM `_calculate_distances_to_neurons`).
   * Memory: n·u floats are returned; split large inputs yourself.
   * @returns [n, u] row-major
   */
  async transform(data: MatrixInput): Promise<Float32Array> {
    this.assertAlive();
    const w = this.requireWeights();
    const m = await toMatrix(data, this.config.dims);
    try {
      const d = this.plugins.distance.pairwise(m.tensor, w);
      const out = (await d.data()) as Float32Array;
      d.dispose();
      return out;
    } finally {
      if (m.owned) m.tensor.dispose();
    }
  }

  /**
   * A per-unit map as plain data (TorchSOM `build_map`): 'hit', 'distance' (U-matrix), 'metric',
   * 'score', 'rank', 'classification', 'component', or 'bmusData' (unit → sample indices).
   * @throws SomError ERR_INVALID_INPUT for an unknown type or a missing target/data
   */
  buildMap(type: 'bmusData', opts?: MapOptions): Promise<BmusData>;
  buildMap(type: Exclude<MapType, 'bmusData'>, opts?: MapOptions): Promise<MapData>;
  buildMap(type: MapType | (string & {}), opts?: MapOptions): Promise<MapData | BmusData>;
  buildMap(type: MapType | (string & {}), opts: MapOptions = {}): Promise<MapData | BmusData> {
    return buildMap(this, type, opts);
  }

  /** Several maps computing the BMUs once (TorchSOM `build_multiple_maps`). */
  buildMaps(specs: readonly MapSpec[], shared: SharedMapInputs = {}): Promise<Record<string, MapData | BmusData>> {
    return buildMaps(this, specs, shared);
  }

  /** A versioned, self-describing model file (JSON-serializable object). */
  toJSON(options?: { encoding?: 'base64' | 'array' }): SomModelJSON {
    return modelToJSON(this.config, this.requireCache(), this.history, options?.encoding ?? 'base64');
  }

  /**
   * Rebuilds a SOM from {@link toJSON} output (an untrusted input: every field is checked).
   * @param options - `plugins`: plugin objects or factories tried before the registry for names in the file
   * @throws SomError ERR_MODEL_FORMAT naming the bad field, or ERR_UNKNOWN_PLUGIN
   */
  static async fromJSON(json: unknown, options?: { plugins?: readonly unknown[] }): Promise<SOM> {
    const parsed = modelFromJSON(json, options?.plugins);
    const som = new SOM({ ...parsed.options, ...(options?.plugins ? { plugins: options.plugins } : {}) });
    await som.replaceWeights(tf.tensor2d(parsed.weights, [som.units, som.dims], 'float32'));
    for (const k of Object.keys(som.history) as (keyof FitHistory)[]) som.history[k].push(...(parsed.history[k] ?? []));
    return som;
  }

  /** Frees the tensors this SOM holds. */
  dispose(): void {
    this.w?.dispose();
    this.w = undefined;
    if (this.gridTensors) tf.dispose(Object.values(this.gridTensors));
    this.gridTensors = undefined;
    this.searchBackend?.dispose?.();
    this.disposed = true;
  }

  private requireWeights(): tf.Tensor2D {
    if (this.w === undefined) {
      throw new SomError('ERR_NOT_FITTED', 'The SOM has no codebook yet. Call fit(data), initialize(data) or setWeights(w) first.');
    }
    return this.w;
  }

  private requireCache(): Float32Array {
    this.requireWeights();
    if (this.weightsCache === undefined) throw new SomError('ERR_NOT_FITTED', 'The codebook is being updated by a running fit(); wait for it to finish.');
    return this.weightsCache;
  }

  private assertAlive(): void {
    if (this.disposed) throw new SomError('ERR_INVALID_INPUT', 'This SOM was disposed; create a new one.');
  }
}

function mean(values: Float32Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

function now(): number {
  return (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();
}
