import * as tf from '@tensorflow/tfjs-core';
import { logger, SomError, type Json, type Codebook, type EngineRef, type EngineSession, type MapData, type SearchContext, type SearchStrategy } from '@somkit/plugin-api';
import { resolveSearch } from '@somkit/search';
import { resolveConfig, type SomConfig, type SomOptions, type SomPlugins, type InitMode } from './config.js';
import { Grid } from '@somkit/geometry';
import { Rng } from '@somkit/geometry';
import { initCodebook } from './initCodebook.js';
import { hostSamples, withMatrix, type MatrixInput, type ValidMatrix } from './toMatrix.js';
import type { TopUnits } from './TopUnits.js';
import type { ImputeOptions } from './imputeFromMap.js';
import { modelToJSON, type SomModelJSON } from './modelToJSON.js';
import type { SharedMapInputs } from './maps/buildMaps.js';
import type { BmusData, MapOptions, MapSpec, MapType } from './maps/MapOptions.js';
import { CodebookStore } from './train/CodebookStore.js';
import { CallbackList, History } from './train/Callback.js';
import { HISTORY_KEYS, type EpochLogs, type FitHistory } from './train/EpochLogs.js';
import { EngineSlot } from './train/EngineSlot.js';
import type { EngineChoice } from './train/resolveEngine.js';
import { defaultEngine } from './train/resolveEngine.js';
import type { FitOptions } from './train/FitOptions.js';
import { kernelSet, type KernelSet } from './train/KernelSet.js';
import { referenceKernels } from './train/referenceKernels.js';
import { minibatchEpoch } from './train/minibatchEpoch.js';
import { applyBatchMap, neuronSumsOf, SEPARABLE_MIN_UNITS } from './train/batchMap.js';
import { neighborhoodTable } from './train/neighborhoodTable.js';
import type { NeuronSums } from './train/NeuronSums.js';
import { PassStats } from './train/PassStats.js';
import { checkEpochs, runEpochs } from './train/runEpochs.js';
import { scheduledEpoch, type RuleEpoch } from './train/scheduledEpoch.js';
import { finiteGuard } from './train/finiteGuard.js';
import { StepPacer } from './train/StepPacer.js';
import { checkYieldEvery, Yielder } from './train/Yielder.js';
import type { TrainingSetup } from './train/TrainingSetup.js';

/**
 * A self-organizing map: TorchSOM's SOM on TensorFlow.js, with two named training rules
 * (`minibatch`, `batch-map`), rectangular/hexagonal grids, torus, random/PCA init, QE/TE, and
 * versioned model files. All public results are plain typed arrays; tensors stay inside. The
 * training itself lives in `train/` (one epoch loop, each rule written once against the engine
 * kernels); this class is the model.
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
  /** The `preprocessing` option (saved in and read from model files), or undefined. */
  readonly preprocessing: Json | undefined;

  private readonly extra: readonly unknown[];
  private readonly rng: Rng;
  private readonly codebook: CodebookStore;
  private readonly recorder = new History<keyof FitHistory>(HISTORY_KEYS);
  private readonly engines: EngineSlot;
  private readonly engineSetting: EngineRef | undefined;
  private strategy: SearchStrategy | undefined;
  private disposed = false;

  constructor(options: SomOptions) {
    const { config, plugins, extra, engine } = resolveConfig(options);
    this.config = Object.freeze(config);
    this.plugins = Object.freeze(plugins);
    this.extra = extra;
    this.engineSetting = engine;
    this.grid = new Grid(config);
    this.rng = new Rng(config.seed);
    this.codebook = new CodebookStore(this.grid.units, config.dims);
    this.engines = new EngineSlot(extra);
    this.preprocessing = options.preprocessing === undefined ? undefined : (JSON.parse(JSON.stringify(options.preprocessing)) as Json);
  }

  /**
   * A SOM sized for the data: `dims` from its columns and, when `rows`/`cols` are not given,
   * the grid from {@link suggestGrid} (about 5·√n units, sides in the ratio of the data's two
   * largest principal spreads); with one of them given, the other follows from the same unit count.
   * Every other option is as in the constructor (the `'somkit'` preset's defaults then follow
   * from that grid: σ0 = half the longer side). The map is not trained: call `fit(data)`.
   *
   * ```ts
   * const som = await SOM.forData(data);           // data [n, d]
   * await som.fit(data);
   * console.log(som.config.rows, som.config.cols, som.config.sigma);
   * ```
   * @param data - samples [n, d]
   * @throws SomError as the constructor, and as every data input (ERR_EMPTY_INPUT, ERR_SHAPE_MISMATCH, …)
   */
  static async forData(data: MatrixInput, options: Omit<SomOptions, 'rows' | 'cols' | 'dims'> & Partial<Pick<SomOptions, 'rows' | 'cols' | 'dims'>> = {}): Promise<SOM> {
    // The grid heuristic (a PCA of the data) is loaded on first use: apps that size their maps never download it.
    const { gridForData } = await import('./gridForData.js');
    const { rows, cols, dims } = await gridForData(data, options);
    return new SOM({ ...options, rows, cols, dims });
  }

  /** Runs `fn` on validated samples; NaN cells are missing values when the model was created with `missing: 'mask'`. */
  private withData<T>(data: MatrixInput, fn: (m: ValidMatrix) => Promise<T>): Promise<T> {
    return withMatrix(data, this.config.dims, 'data', this.config.missing === 'mask', fn);
  }

  /** Number of units (rows·cols). */
  get units(): number {
    return this.grid.units;
  }

  /** Features per sample. */
  get dims(): number {
    return this.config.dims;
  }

  /** History of all epochs trained so far (across `fit` calls), read-only: it is recorded by a callback. */
  get history(): { readonly [K in keyof FitHistory]: readonly number[] } {
    return this.recorder.history;
  }

  /** True once the codebook has been initialised (by `initialize`, `fit`, `setWeights` or `fromJSON`). */
  get isInitialized(): boolean {
    return this.codebook.isSet;
  }

  /** Name of the search strategy in use (after the first search), with `auto` resolved. */
  get searchName(): string | undefined {
    return this.strategy?.name;
  }

  /** The engine of the last training call or search, and why it was picked. */
  get engineChoice(): { name: string; reason: string } | undefined {
    const c: EngineChoice | undefined = this.engines.choice;
    return c && { name: c.engine.name, reason: c.reason };
  }

  /**
   * Initialises the codebook from data (TorchSOM `initialize_weights`).
   * @param data - samples [n, dims]
   * @param mode - overrides `config.init`
   */
  async initialize(data: MatrixInput, mode: InitMode = this.config.init): Promise<void> {
    this.assertAlive();
    await this.withData(data, (m) => this.initFrom(m, mode));
  }

  private async initFrom(m: ValidMatrix, mode: InitMode): Promise<void> {
    // With missing values, init (random rows, PCA) starts from the column-mean-filled samples.
    const filled = m.missing > 0 ? tf.tensor2d((await import('./meanFilled.js')).meanFilled(await hostSamples(m), m.n, m.d), [m.n, m.d], 'float32') : undefined;
    try {
      const t = await initCodebook(filled ?? m.tensor, this.grid, mode, this.rng);
      try {
        this.codebook.set(new Float32Array((await t.data()) as Float32Array));
      } finally {
        t.dispose();
      }
    } finally {
      filled?.dispose();
    }
  }

  /**
   * Sets the codebook.
   * @param weights - [u, dims] with u = rows·cols, unit u = row·cols + col
   */
  async setWeights(weights: MatrixInput): Promise<void> {
    this.assertAlive();
    await withMatrix(weights, this.config.dims, 'weights', false, async (m) => {
      if (m.n !== this.units) {
        throw new SomError('ERR_SHAPE_MISMATCH', `Expected weights of shape [${this.units}, ${this.config.dims}] (rows·cols units), got [${m.n}, ${m.d}].`);
      }
      this.codebook.set(new Float32Array(await hostSamples(m)));
    });
  }

  /** A copy of the codebook, [u, d] row-major. */
  getWeights(): Float32Array {
    this.assertAlive();
    return new Float32Array(this.codebook.get());
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
   * @param data - samples [n, dims]; held on the active backend and in CPU memory for the call
   * @returns per-epoch history of this call
   */
  async fit(data: MatrixInput, options: FitOptions = {}): Promise<FitHistory> {
    this.assertAlive();
    const epochs = options.epochs ?? this.config.epochs;
    const initialEpoch = options.initialEpoch ?? 0;
    checkEpochs(epochs, initialEpoch);
    const yielder = new Yielder(checkYieldEvery(options.yieldEvery ?? 'auto'), options.signal, () => this.history.qe.length);
    return this.withData(data, async (m) => {
      if (!this.codebook.isSet) await this.initFrom(m, this.config.init);
      const host = await hostSamples(m);
      return this.withSetup(options.engine, (setup) => {
        const shuffle = options.shuffle ?? true;
        const pace = new StepPacer(yielder.budgetMs);
        const body: RuleEpoch =
          this.config.rule === 'batch-map'
            ? async (_e, _lr, sigma) => {
                const { sums, counts, stats } = await neuronSumsOf(setup, host, m.n);
                await applyBatchMap(setup, sums, sigma, counts);
                return stats;
              }
            : (_e, lr, sigma) => minibatchEpoch(setup, host, m.n, lr, sigma, shuffle, yielder, pace);
        return this.train(epochs, initialEpoch, yielder, options, body, true);
      }, { host, tensor: m.tensor }, m.missing > 0);
    });
  }

  /**
   * Per-neuron sums of one data chunk under the current codebook, for the batch-map rule:
   * `sums` [u, d + 1] row-major holds Σ x over the samples whose BMU is each unit, then their count;
   * plus the chunk's QE sum and TE count. Sums of disjoint chunks add up, so a pass over data larger
   * than memory, worker threads or machines can each reduce their shard and merge with `mergeSums`
   * before {@link applySums} (or feed {@link fitSums}).
   * @param chunk - samples [n, dims]
   */
  async accumulate(chunk: MatrixInput, options: { engine?: EngineRef } = {}): Promise<NeuronSums> {
    this.assertAlive();
    this.codebook.get();
    return this.withData(chunk, async (m) => {
      const host = await hostSamples(m);
      return this.withSetup(options.engine, async (setup) => {
        const { sums, counts, stats } = await neuronSumsOf(setup, host, m.n);
        return { sums, ...(counts !== undefined ? { counts } : {}), qeSum: stats.qeSum, teCount: stats.teCount, n: m.n, units: this.units, dims: this.config.dims };
      }, { host, tensor: m.tensor }, m.missing > 0, 'batch-map');
    });
  }

  /**
   * Applies one batch-map update from (merged) per-neuron sums and records the epoch in the
   * history: W = (G S) / (G m) with G the grid kernel at the schedule's σ for `epoch` of `totalEpochs`.
   */
  async applySums(sums: NeuronSums, epoch: number, totalEpochs: number): Promise<EpochLogs> {
    this.assertAlive();
    if (!Number.isInteger(totalEpochs) || totalEpochs < 1 || !Number.isInteger(epoch) || epoch < 0 || epoch >= totalEpochs) {
      throw new SomError('ERR_INVALID_CONFIG', `Expected 0 ≤ epoch < totalEpochs (integers), got epoch=${epoch}, totalEpochs=${totalEpochs}.`);
    }
    let logs: EpochLogs | undefined;
    await this.trainOnSums(() => Promise.resolve(sums), { epochs: totalEpochs, initialEpoch: epoch, onEpochEnd: (_e, l) => void (logs = l) }, epoch + 1);
    return logs!;
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
    // Loaded on first use, as the per-neuron sums' check: pages that never stream do not download them.
    const { streamSums } = await import('./train/streamSums.js');
    return this.fitSums(streamSums(this, source, options), options);
  }

  /**
   * The batch-map rule fed by a source of per-neuron sums — one call per epoch, e.g. the merged
   * sums of distributed workers (somoclu's "each task fills its numerator and denominator, reduce,
   * update"). Runs the same epoch loop, schedule and callbacks as {@link fit}.
   * @param source - the epoch's merged sums under the current codebook
   */
  fitSums(source: (epoch: number) => Promise<NeuronSums>, options: Omit<FitOptions, 'shuffle' | 'yieldEvery'> = {}): Promise<FitHistory> {
    return this.trainOnSums(source, options);
  }

  /** {@link fitSums}, stopping before epoch `stopAfter` when given (one epoch for {@link applySums}). */
  private async trainOnSums(source: (epoch: number) => Promise<NeuronSums>, options: Omit<FitOptions, 'shuffle' | 'yieldEvery'>, stopAfter?: number): Promise<FitHistory> {
    this.assertAlive();
    if (this.config.rule !== 'batch-map') {
      throw new SomError('ERR_INVALID_CONFIG', `Per-neuron sums train the batch-map rule (they add up across chunks and shards); this SOM uses '${this.config.rule}'. Use fit() for the minibatch rule, or rule: 'batch-map'.`);
    }
    const epochs = options.epochs ?? this.config.epochs;
    const initialEpoch = options.initialEpoch ?? 0;
    checkEpochs(epochs, initialEpoch);
    const yielder = new Yielder('epoch', options.signal, () => this.history.qe.length);
    const { checkSums } = await import('./train/checkSums.js');
    return this.withSetup(options.engine, (setup) =>
      this.train(stopAfter ?? epochs, initialEpoch, yielder, options, async (e, _lr, sigma) => {
        const s = await source(e);
        checkSums(s, this.units, this.config.dims);
        this.codebook.get();
        await applyBatchMap(setup, s.sums, sigma, s.counts);
        const stats = new PassStats(this.grid);
        stats.addTotals(s.qeSum, s.teCount, s.n);
        return stats;
      }, false, epochs),
    );
  }

  /** Runs the epoch loop with the model's history, the call's history and the user's callbacks. */
  private async train(stop: number, initialEpoch: number, yielder: Yielder, options: FitOptions, body: RuleEpoch, withLr: boolean, scheduleEpochs = stop): Promise<FitHistory> {
    const call = new History<keyof FitHistory>(HISTORY_KEYS);
    const onEpochEnd = options.onEpochEnd;
    const callbacks = new CallbackList<EpochLogs>([this.recorder, call, onEpochEnd ? { onEpochEnd } : undefined, ...(options.callbacks ?? [])]);
    const schedule = (e: number): { learningRate: number; sigma: number } => ({
      learningRate: withLr ? this.plugins.lrDecay.value(this.config.learningRate, e, scheduleEpochs) : 0,
      sigma: this.plugins.sigmaDecay.value(this.config.sigma, e, scheduleEpochs),
    });
    await runEpochs({ epochs: stop, initialEpoch, yielder, callbacks }, scheduledEpoch(schedule, finiteGuard(this.codebook, body)));
    return call.snapshot();
  }

  /**
   * Runs `fn` with the training setup of one call — the engine's kernels (session kept on the
   * model) over the reference kernels — and closes the kernels afterwards, on error paths too.
   */
  private async withSetup<T>(engineRef: EngineRef | undefined, fn: (setup: TrainingSetup) => Promise<T>, samples?: { host: Float32Array; tensor: tf.Tensor2D }, missing = false, rule = this.config.rule): Promise<T> {
    const kernels = await this.kernels(engineRef, samples, missing, rule);
    try {
      return await fn({ config: this.config, plugins: this.plugins, grid: this.grid, rng: this.rng, codebook: this.codebook, kernels, missing });
    } finally {
      kernels.close();
    }
  }

  /**
   * The kernels of one call. With `missing` (the samples hold NaN cells) the search uses the
   * distance's masked form, and engine kernels without a masked form run on the reference.
   */
  private async kernels(engineRef: EngineRef | undefined, samples?: { host: Float32Array; tensor: tf.Tensor2D }, missing = false, rule = this.config.rule): Promise<KernelSet> {
    const search = await this.referenceSearch(missing);
    const ref = engineRef ?? this.engineSetting ?? defaultEngine();
    const set = (s: EngineSession, name: string) => kernelSet(s, name, referenceKernels(search, samples), search.strategy.exact === true, missing);
    // With samples, 'auto' may time the candidate engines on them (a probe of the rule being trained).
    const probe = samples && { rule, x: samples.host, kernels: set, table: (scale: number) => neighborhoodTable(this.grid, this.plugins.neighborhood, 1, scale), weights: () => this.codebook.get(), batch: this.config.batchSize, product: this.units < SEPARABLE_MIN_UNITS, missing };
    const { session, choice } = await this.engines.session(ref, { backend: search.ctx.backend, distance: this.plugins.distance, units: this.units, dims: this.config.dims }, probe);
    return await set(session, choice.engine.name);
  }

  /**
   * The model's search strategy and context; over observed dimensions for samples with missing
   * values (that code is loaded on first use, so apps without missing values do not download it).
   */
  private async referenceSearch(missing: boolean): Promise<{ strategy: SearchStrategy; ctx: SearchContext }> {
    const s = this.getSearch();
    const search = { strategy: s.backend, ctx: s.ctx };
    return missing ? await (await import('./train/missingAwareSearch.js')).missingAwareSearch(search) : search;
  }

  /**
   * The k best units of each sample, with their distances (TorchSOM `search(data, weights, k)`).
   * The primary lookup for k nearest units; for the best unit alone use {@link identifyBmus}
   * (flat index) or {@link bmuPositions} (row, col). With an exact strategy and an engine that has
   * a `bmu` kernel, the engine searches.
   * @param data - samples [n, dims]
   * @param k - 1 ≤ k ≤ units
   * @returns indices [n, k] int32 and distances [n, k] float32, nearest first
   */
  async topUnits(data: MatrixInput, k = 1): Promise<TopUnits> {
    this.assertAlive();
    this.codebook.get();
    if (!Number.isInteger(k) || k < 1 || k > this.units) {
      throw new SomError('ERR_INVALID_INPUT', `k: expected an integer in [1, ${this.units}] (the number of units), got ${k}.`);
    }
    return this.withData(data, (m) => this.searchMatrix(m, k));
  }

  /** {@link topUnits} of validated samples. */
  private async searchMatrix(m: ValidMatrix, k: number): Promise<TopUnits> {
    const missing = m.missing > 0;
    const ks = await this.kernels(undefined, undefined, missing);
    try {
      if (ks.from.bmu !== 'tfjs') {
        const r = await ks.run.bmu({ x: await hostSamples(m), weights: this.codebook.get(), samples: m.n, units: this.units, dims: this.config.dims, k, ...(missing ? { missing: true } : {}) });
        return { ...r, k };
      }
    } finally {
      ks.close();
    }
    const { strategy: b, ctx } = await this.referenceSearch(missing);
    return this.codebook.withTensor(async (w) => {
      const r = b.searchAsync ? await b.searchAsync(m.tensor, w, k, ctx) : b.search(m.tensor, w, k, ctx);
      const [indices, distances] = await Promise.all([r.indices.data(), r.distances.data()]);
      tf.dispose([r.indices, r.distances]);
      return { indices: indices as Int32Array, distances: distances as Float32Array, k };
    });
  }

  /**
   * Flat BMU index of each sample (`u = row·cols + col`): the primary lookup of the best unit
   * (`topUnits(data, 1).indices`; {@link bmuPositions} gives it as (row, col)).
   * @param data - samples [n, dims]
   * @returns [n] int32
   */
  async identifyBmus(data: MatrixInput): Promise<Int32Array> {
    return (await this.topUnits(data, 1)).indices;
  }

  /**
   * Keras-style alias of {@link identifyBmus}: the flat BMU index of each sample, [n] int32.
   * It exists for code written against the shared `SomkitModel` interface (a SOM and an A3SOM
   * alike); it stays, with the same result.
   * @deprecated In code that holds a `SOM`, use {@link identifyBmus} (same result, the documented name).
   */
  predict(data: MatrixInput): Promise<Int32Array> {
    return this.identifyBmus(data);
  }

  /**
   * BMU grid positions (TorchSOM `identify_bmus`): the primary lookup of the best unit's (row, col);
   * {@link identifyBmus} gives the same units as flat indices.
   * @param data - samples [n, dims]
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
    return (await this.evaluate(data)).qe;
  }

  /**
   * Fraction of samples whose best and second-best units are not neighbours: 8-neighbourhood on
   * rectangular grids, 6 on hexagonal, torus-aware. NaN (with a warning) for a 1-unit map.
   */
  async topographicError(data: MatrixInput): Promise<number> {
    return (await this.evaluate(data)).te;
  }

  /** QE and TE in one pass (the same statistic training reports). */
  async evaluate(data: MatrixInput): Promise<{ qe: number; te: number; n: number }> {
    if (this.units < 2) logger.warnOnce('te-1-unit', 'Topographic error is undefined for a 1-unit map; returning NaN.');
    const k = Math.min(2, this.units);
    const r = await this.topUnits(data, k);
    const stats = new PassStats(this.grid);
    stats.add(r.indices, r.distances, r.indices.length / k, k);
    return { qe: stats.qe, te: stats.te, n: stats.n };
  }

  /**
   * Distances from every sample to every unit (TorchSOM `_calculate_distances_to_neurons`).
   * Memory: n·u floats are returned; split large inputs yourself.
   * @returns [n, u] row-major
   */
  async transform(data: MatrixInput): Promise<Float32Array> {
    this.assertAlive();
    this.codebook.get();
    return this.withData(data, async (m) => {
      const distance = m.missing > 0 ? (await this.referenceSearch(true)).ctx.distance : this.plugins.distance;
      return this.codebook.withTensor(async (w) => {
        const d = distance.pairwise(m.tensor, w);
        const out = (await d.data()) as Float32Array;
        d.dispose();
        return out;
      });
    });
  }

  /**
   * Fills missing values from the map. Each NaN cell of `data` [n, dims] gets its sample's BMU
   * codebook value (the BMU found over the sample's observed dimensions, as in training with
   * `missing: 'mask'`), by default blended with the mean of the nearest rows of `data` that observe
   * the column, found through the map (see {@link ImputeOptions}; on wine and digits with 20 % of
   * cells removed the blend beats scikit-learn's 5-NN imputer, the unit value alone does not: bench/README.md).
   * Observed cells are returned unchanged. Accepts NaN cells whatever the model's `missing`
   * setting; ±Infinity and rows with no observed value are refused. Memory: one [n, dims] copy
   * plus [n, min(u, 64)] unit indices.
   * @returns [n, dims] row-major, no NaN
   * @throws SomError ERR_INVALID_INPUT for bad options or rows, ERR_NON_FINITE for ±Infinity
   */
  async impute(data: MatrixInput, options: ImputeOptions = {}): Promise<Float32Array> {
    this.assertAlive();
    this.codebook.get();
    // Loaded on first use, as the map builders.
    const { imputeFromMap, imputeSettings } = await import('./imputeFromMap.js');
    const settings = imputeSettings(options);
    return withMatrix(data, this.config.dims, 'data', true, async (m) => {
      const x = await hostSamples(m);
      if (m.missing === 0) return new Float32Array(x);
      const k = settings.method === 'blend' ? Math.min(this.units, 64) : 1;
      const { indices } = await this.searchMatrix(m, k);
      return imputeFromMap(x, m.n, this.config.dims, indices, k, this.codebook.get(), this.units, settings);
    });
  }


  /**
   * A per-unit map as plain data (TorchSOM `build_map`): 'hit', 'distance' (U-matrix), 'metric',
   * 'score', 'rank', 'classification', 'component', or 'bmusData' (unit → sample indices).
   * @deprecated Use the function `buildMap(som, type, opts)`; this method loads it on first use
   *   (so an app that never builds a map does not download the map code) and will be removed.
   * @throws SomError ERR_INVALID_INPUT for an unknown type or a missing target/data
   */
  buildMap(type: 'bmusData', opts?: MapOptions): Promise<BmusData>;
  buildMap(type: Exclude<MapType, 'bmusData'>, opts?: MapOptions): Promise<MapData>;
  buildMap(type: MapType | (string & {}), opts?: MapOptions): Promise<MapData | BmusData>;
  async buildMap(type: MapType | (string & {}), opts: MapOptions = {}): Promise<MapData | BmusData> {
    const { buildMap } = await import('./maps/buildMap.js');
    return buildMap(this, type, opts);
  }

  /**
   * Several maps computing the BMUs once (TorchSOM `build_multiple_maps`).
   * @deprecated Use the function `buildMaps(som, specs, shared)`; loaded on first use, as {@link buildMap}.
   */
  async buildMaps(specs: readonly MapSpec[], shared: SharedMapInputs = {}): Promise<Record<string, MapData | BmusData>> {
    const { buildMaps } = await import('./maps/buildMaps.js');
    return buildMaps(this, specs, shared);
  }

  /** A versioned, self-describing model file (JSON-serializable object). It names no engine. */
  toJSON(options?: { encoding?: 'base64' | 'array' }): SomModelJSON {
    return modelToJSON(this.config, this.getWeights(), this.recorder.history, options?.encoding ?? 'base64', this.preprocessing);
  }

  /**
   * Rebuilds a SOM from {@link toJSON} output (an untrusted input: every field is checked). Files
   * of contract v1 that name an engine (`onnxruntime`, `parallel`) as their search load with
   * search 'auto'.
   * @param options - `plugins`: plugin objects or factories tried before the registry for names in the file
   * The file checker is loaded on first use, so an app that never loads a model does not download it;
   * first-party plugin names in the file that are not registered are registered then (the CLI's files load with only `@somkit/core`).
   * @throws SomError ERR_MODEL_FORMAT naming the bad field, or ERR_UNKNOWN_PLUGIN
   */
  static async fromJSON(json: unknown, options?: { plugins?: readonly unknown[] }): Promise<SOM> {
    const { readModelFile } = await import('./readModelFile.js');
    const parsed = await readModelFile(json, options?.plugins);
    const som = new SOM({ ...parsed.options, ...(options?.plugins ? { plugins: options.plugins } : {}) });
    som.codebook.set(parsed.weights);
    const h = som.recorder.history;
    for (const k of HISTORY_KEYS) h[k].push(...(parsed.history[k] ?? []));
    return som;
  }

  /** Frees the tensors this SOM holds and closes the engine session it opened (not engines you passed in). */
  dispose(): void {
    this.codebook.dispose();
    void this.engines.close();
    // A strategy core resolved by name is core's to dispose; one passed in belongs to the caller.
    if (this.plugins.search === undefined) this.strategy?.dispose?.();
    this.disposed = true;
  }

  private getSearch(): { backend: SearchStrategy; ctx: SearchContext } {
    const ctx: SearchContext = { backend: tf.getBackend(), distance: this.plugins.distance, units: this.units, dims: this.config.dims };
    if (this.strategy === undefined) {
      const ref = this.plugins.search ?? (this.config.search === 'auto' ? 'auto' : this.config.search);
      this.strategy = resolveSearch(ref, ctx, this.extra).backend;
    }
    return { backend: this.strategy, ctx };
  }

  private assertAlive(): void {
    if (this.disposed) throw new SomError('ERR_INVALID_INPUT', 'This SOM was disposed; create a new one.');
  }
}
