import * as tf from '@tensorflow/tfjs-core';
import type { layers } from '@tensorflow/tfjs-layers';
import { SomError, logger, type Json } from '@somkit/plugin-api';
import { CallbackList, Grid, History as HistoryCallback, initCodebook, runEpochs, toMatrix, withMatrix, type MatrixInput } from '@somkit/core';
import { Rng, float32ToBase64 } from '@somkit/geometry';
import { resolveConfig, type A3SOMConfig, type A3SOMOptions } from './config.js';
import { extraMetrics, resolveCompile, savedMetrics, wantsAccuracy, type CompileConfig, type CompileOptions, type MetricFn } from './compileConfig.js';
import { activate } from './activate.js';
import { ProgressPrinter, writeStdout } from './ProgressPrinter.js';
import { resolveAbstention, type AbstentionConfig, type AbstentionOptions } from './abstentionConfig.js';
import { computeThresholds, type AbstentionThresholds } from './AbstentionThresholds.js';
import { applyAbstention, type AbstentionReason, type Classification } from './applyAbstention.js';
import { DenseHead, type LayerRow } from './DenseHead.js';
import { formatSummary } from './formatSummary.js';
import type { Callbacks, FitOptions, History, HistoryRecord, Logs } from './FitOptions.js';
import { int32ToBase64 } from './int32Base64.js';
import { l2Regularizer } from './l2Regularizer.js';
import { maskedCrossEntropy } from './maskedCrossEntropy.js';
import type { Matrix } from './Matrix.js';
import { A3SOM_FORMAT, A3SOM_VERSION, parseModel, type A3SOMModelJSON, type TensorJSON } from './modelFile.js';
import { planeNeighborhoodWeights } from './planeNeighborhoodWeights.js';
import { resolveFitOptions } from './resolveFitOptions.js';
import { somActivation } from './somActivation.js';
import { somLoss } from './somLoss.js';
import { squaredDistances } from './squaredDistances.js';
import { temperature } from './temperature.js';
import { toTargets, type LabelInput, type Targets } from './toTargets.js';
import { classCounts, type TrainingStats } from './TrainingStats.js';

/** Options of {@link A3SOM.predict}. */
export interface PredictOptions {
  /** Also return the [n, u] squared sample-to-prototype distances. Default false. */
  distances?: boolean;
  /** Rows per forward pass. Default 1024. */
  batchSize?: number;
}

/** `predict(x, {distances: true})` result. */
export interface PredictionWithDistances {
  /** Class probabilities, shape [n, C]. */
  probabilities: Matrix;
  /** Squared Euclidean distances to every prototype, shape [n, u]. */
  distances: Matrix;
}

/** Per-sample explanation (see {@link A3SOM.explain}). */
export interface Explanation {
  /** Flat index of the best-matching prototype, `row·n + col`. */
  bmu: number;
  /** Grid position of the BMU. */
  row: number;
  col: number;
  /** The BMU prototype vector, length d. */
  prototype: Float32Array;
  /** Squared distance from the sample to its BMU. */
  distance: number;
  /** Labelled training hits of the BMU per class, length C. */
  classCounts: number[];
  /** `classCounts` as shares (all zeros when the prototype had no labelled hits), length C. */
  classDistribution: number[];
  /** Argmax of the predicted probabilities. */
  predicted: number;
  /** Predicted class probabilities, length C. */
  probabilities: number[];
  /** Final label after abstention (−1 when abstained); equals `predicted` without `abstained`. */
  label: number;
  /** Why the sample was abstained, or null. */
  reason: AbstentionReason | null;
}

/** Everything the prototype-map figure needs (see {@link A3SOM.inspectPrototypes}). */
export interface PrototypeInfo {
  rows: number;
  cols: number;
  topology: A3SOMConfig['topology'];
  nClasses: number;
  /** Class predicted for each prototype vector itself, shape [u]. */
  predictedClass: Int32Array;
  /** Class probabilities of each prototype vector, shape [u, C]. */
  probabilities: Float32Array;
  /** Hits per prototype of labelled / unlabelled samples (of `x, y` when given, else of the training rows), shape [u]. */
  labelledHits: Int32Array;
  unlabelledHits: Int32Array;
  /** 1 where the prototype had no labelled training hit, shape [u]. */
  noLabelledHits: Uint8Array;
  /** 1 where its local distance threshold flags more than half of its hits (of `x` when given, else of the training rows), shape [u]. */
  novelRegion: Uint8Array;
  /** 1 where its labelled training hits are mixed (class-share margin below the ambiguity margin, ≥ minHits labelled hits), shape [u]. */
  ambiguousRegion: Uint8Array;
}

/** Result of {@link A3SOM.evaluate}: losses, compiled metrics (labelled rows) and the row count. */
export interface EvalLogs {
  readonly loss: number;
  readonly ce: number;
  readonly som: number;
  readonly reg: number;
  /** Accuracy on the labelled rows (NaN when none). */
  readonly accuracy: number;
  /** Rows evaluated (as `SOM.evaluate`'s `n`). */
  readonly n: number;
  /** Every other compiled metric by name (`precision`, `auc`, a function's name …), labelled rows. */
  readonly [metric: string]: number;
}

/** Loss terms of one forward pass (scalars) and the logits. */
interface LossTerms {
  total: tf.Scalar;
  ce: tf.Scalar;
  som: tf.Scalar;
  reg: tf.Scalar;
  logits: tf.Tensor2D;
}

interface Optimizers {
  som: tf.Optimizer;
  dense: tf.Optimizer;
}

/** Host-side forward results of a set of rows. */
interface Forward {
  probs: Float32Array;
  bmu: Int32Array;
  bmuDist: Float32Array;
  dist?: Float32Array;
}

const PREDICT_CHUNK = 1024;

const EMPTY_HISTORY: HistoryRecord = Object.freeze({ loss: [], ce: [], som: [], reg: [], temperature: [] });

function notFitted(what: string): never {
  throw new SomError('ERR_NOT_FITTED', `${what}() needs a trained model: call await model.fit(x, y) first (or A3SOM.fromJSON(json) a fitted model file).`);
}

/** Adds each metric of `extra` over the labelled rows (`labels` [m], `probs` [m, C]) to `logs`, keys prefixed. */
function addMetrics(logs: Logs, prefix: string, extra: readonly { key: string; fn: MetricFn }[], labels: Int32Array, probs: Float32Array, C: number): void {
  for (const m of extra) logs[prefix + m.key] = labels.length === 0 ? Number.NaN : m.fn(labels, { data: probs, shape: [labels.length, C] });
}

/** The number of distinct classes among the labelled entries (≥ 0) of `labels`. */
function distinctClasses(labels: Int32Array): number {
  return new Set(Array.from(labels).filter((l) => l >= 0)).size;
}

/**
 * A3SOM (Creux et al., PLoS ONE 2023): a self-organizing map whose activation pattern feeds dense
 * layers. Loss = masked categorical cross-entropy + γ·SOM distortion + η·L2(dense kernels);
 * unlabelled rows (label −1/null) train the SOM term only; abstention (novel / ambiguous) is
 * applied after training with global or per-prototype thresholds. Keras-style API on
 * tfjs-layers; outputs are plain typed arrays.
 *
 * ```ts
 * const model = new A3SOM({ inputDim: 13, nClasses: 3, abstained: true, seed: 1 });
 * model.compile({ learningRates: { som: 0.01, dense: 0.003 } });
 * await model.fit(x, y, { epochs: 50 });          // y: class ids, -1 = unlabelled
 * const { labels, reasons } = await model.classify(xTest);
 * model.dispose();
 * ```
 */
export class A3SOM {
  /** Resolved constructor parameters. */
  readonly config: A3SOMConfig;
  /** The map geometry (`@somkit/core` Grid, n×n, no torus). */
  readonly grid: Grid;
  /** Set to true (e.g. from a callback) to stop `fit` after the current batch. */
  stopTraining = false;

  private readonly denseBlock: readonly layers.Layer[];
  private readonly prototypes: tf.Variable<tf.Rank.R2>;
  /** Plane coordinates [u, 2] of the units (the neighbourhood's δ² is computed from them per BMU). */
  private readonly coords: tf.Tensor2D;
  private head: DenseHead;
  private compiled: CompileConfig | undefined;
  private optimizers: Optimizers | undefined;
  private fitted = false;
  private initialised = false;
  private activationScale: number | null = null;
  private stats: TrainingStats | undefined;
  private abstention: AbstentionConfig = resolveAbstention();
  private lastHistory: History | undefined;
  private thresholds: AbstentionThresholds | undefined;
  private fitCount = 0;
  private busy = false;
  private disposed = false;

  /**
   * @throws SomError ERR_INVALID_CONFIG for an invalid option (unknown key, Tmin > Tmax, unknown act / normalization …)
   */
  constructor(options: A3SOMOptions) {
    this.config = resolveConfig(options);
    this.denseBlock = options.denseBlock ?? [];
    const { n, inputDim, topology, seed } = this.config;
    this.grid = new Grid({ rows: n, cols: n, topology, pbc: false });
    const u = this.grid.units;
    // Glorot-uniform prototypes [u, d] (DESOM's SOMLayer init); replaced at the first fit unless init = 'glorot'.
    const rng = new Rng(seed);
    const limit = Math.sqrt(6 / (u + inputDim));
    const p0 = new Float32Array(u * inputDim);
    for (let i = 0; i < p0.length; i++) p0[i] = (2 * rng.next() - 1) * limit;
    this.prototypes = tf.tidy(() => tf.variable(tf.tensor2d(p0, [u, inputDim]), true));
    // No [u, u] table of squared plane distances: it grew as n⁴ (1.5 GB at n = 140, from a
    // 119 KB model file); the BMU rows of it are computed from the coordinates when needed.
    this.coords = tf.tensor2d(this.grid.coords, [u, 2]);
    this.head = DenseHead.create(this.config, u, this.denseBlock);
  }

  /** Number of prototypes u = n². */
  get units(): number {
    return this.grid.units;
  }

  /** True after `fit` (or loading a fitted model). */
  get isFitted(): boolean {
    return this.fitted;
  }

  /**
   * The per-epoch record of the last `fit` call (Keras `model.history.history`; empty before
   * the first). Read-only: frozen arrays.
   */
  get history(): HistoryRecord {
    return this.lastHistory?.history ?? EMPTY_HISTORY;
  }

  /**
   * Configures training: two Adam optimizers (prototypes / dense block), loss weights and metrics.
   * Calling it again replaces the optimizers (their moment estimates restart).
   * @throws SomError ERR_INVALID_CONFIG
   */
  compile(options: CompileOptions = {}): void {
    this.assertAlive();
    const c = resolveCompile(options);
    this.disposeOptimizers();
    this.compiled = c;
    this.optimizers = { som: tf.train.adam(c.learningRates.som), dense: tf.train.adam(c.learningRates.dense) };
  }

  /**
   * Trains prototypes and dense block jointly, one custom train step per batch: the loss
   * `CE(labelled rows) + γ·L_SOM(all rows) + η·R` is differentiated with `tf.variableGrads`, and
   * the prototype gradient is applied by the SOM optimizer, the rest by the dense optimizer. The
   * temperature decays exponentially from Tmax to Tmin over the `epochs × steps` iterations of this
   * call (epochs `initialEpoch … epochs − 1` run). Afterwards the training rows' BMUs, distances and
   * labels are kept for abstention and explanations.
   *
   * Callbacks are those of `@somkit/core` (`onTrainBegin`, `onEpochBegin(epoch)`,
   * `onEpochEnd(epoch, logs)`, `onTrainEnd`, called through its `CallbackList`) plus
   * `onBatchBegin/End(batch, logs)`; the returned history is recorded by a core `History` callback.
   * The epoch loop is core's `runEpochs`, the one `SOM.fit` runs: an A3SOM epoch is batches of
   * gradient steps with a per-batch temperature and returns the losses and metrics as its logs;
   * `stopTraining` ends the epoch after the current batch and the loop before the next epoch.
   * `verbose` prints as Keras does (a `ProgressPrinter` after the user's callbacks). The
   * returned history is frozen; `model.history` holds it until the next call.
   * @param x - samples, shape [n, d]
   * @param y - class ids [n] (−1 / null = unlabelled) or one-hot rows [n, C] (all zeros = unlabelled)
   * @returns per-epoch history of this call (Keras `History`)
   * @throws SomError ERR_INVALID_CONFIG (not compiled, an invalid or unknown option) | ERR_SHAPE_MISMATCH | ERR_NON_FINITE | ERR_INVALID_INPUT | ERR_EMPTY_INPUT
   */
  async fit(x: MatrixInput, y: LabelInput, options: FitOptions = {}): Promise<History> {
    this.assertAlive();
    if (this.compiled === undefined || this.optimizers === undefined) {
      throw new SomError('ERR_INVALID_CONFIG', 'The model is not compiled: call model.compile({learningRates, lossWeights, metrics}) before fit().');
    }
    if (this.busy) throw new SomError('ERR_INVALID_INPUT', 'fit() is already running on this model; await it before calling fit() again.');
    const o = resolveFitOptions(options, this.config.nClasses);
    const { epochs, initialEpoch, batchSize, verbose } = o;
    const C = this.config.nClasses;

    const owned: tf.Tensor[] = [];
    this.busy = true;
    this.stopTraining = false;
    try {
      const xm = await toMatrix(x, this.config.inputDim, 'x');
      if (xm.owned) owned.push(xm.tensor);
      const all = await toTargets(y, xm.n, C);
      // Training / validation rows.
      let xTrain = xm.tensor;
      let train: Targets = all;
      let val: { x: tf.Tensor2D; t: Targets } | undefined;
      if (o.validationData !== undefined) {
        const vd = o.validationData;
        const [vx, vy] = Array.isArray(vd) ? (vd as readonly [MatrixInput, LabelInput]) : [(vd as { x: MatrixInput }).x, (vd as { y: LabelInput }).y];
        const vm = await toMatrix(vx, this.config.inputDim, 'validationData x');
        if (vm.owned) owned.push(vm.tensor);
        val = { x: vm.tensor, t: await toTargets(vy, vm.n, C) };
      } else if (o.validationSplit > 0) {
        const split = o.validationSplit;
        const cut = Math.floor(xm.n * (1 - split));
        if (cut < 1 || cut >= xm.n) throw new SomError('ERR_INVALID_CONFIG', `validationSplit=${split} leaves ${cut} training and ${xm.n - cut} validation rows of ${xm.n}; both need at least one.`);
        xTrain = tf.slice(xm.tensor, [0, 0], [cut, -1]);
        const xVal = tf.slice(xm.tensor, [cut, 0], [-1, -1]);
        owned.push(xTrain, xVal);
        train = { labels: all.labels.subarray(0, cut), targets: all.targets.subarray(0, cut * C), labelled: 0 };
        val = { x: xVal, t: { labels: all.labels.subarray(cut), targets: all.targets.subarray(cut * C), labelled: 0 } };
        const held = distinctClasses(val.t.labels);
        if (held === 1 && distinctClasses(all.labels) > 1) {
          logger.warn(`a3som: validationSplit=${split} holds out the last ${xm.n - cut} rows (as Keras does), and their labelled rows are all of one class: the rows look sorted by class, so val_* measures one class only. Shuffle the rows before fit, or pass validationData.`);
        }
      }
      const nTrain = train.labels.length;
      if (!this.initialised) await this.initialise(xTrain);

      // Per-row tensors: targets [n, C], sample weight [n] (class weight × labelled), mask [n], labels [n].
      const mask = new Float32Array(nTrain);
      const sw = new Float32Array(nTrain);
      for (let i = 0; i < nTrain; i++) {
        const l = train.labels[i]!;
        if (l >= 0) {
          mask[i] = 1;
          sw[i] = o.classWeight[l]!;
        }
      }
      const tT = tf.tensor2d(train.targets, [nTrain, C]);
      const swT = tf.tensor1d(sw);
      const mT = tf.tensor1d(mask);
      const lT = tf.tensor1d(train.labels, 'int32');
      owned.push(tT, swT, mT, lT);
      const valT = val === undefined ? undefined : this.uploadTargets(val.t, val.x);
      if (valT !== undefined) owned.push(valT.t, valT.sw, valT.m, valT.l);

      const steps = Math.ceil(nTrain / batchSize);
      const iterations = epochs * steps;
      const accuracy = wantsAccuracy(this.compiled);
      const extra = extraMetrics(this.compiled);
      // The call's history is a core `History` callback, called before the user's callbacks.
      const keys: string[] = ['loss', 'ce', 'som', 'reg', 'temperature'];
      if (accuracy) keys.push('accuracy');
      keys.push(...extra.map((m) => m.key));
      if (val !== undefined) keys.push('val_loss', ...(accuracy ? ['val_accuracy'] : []), ...extra.map((m) => `val_${m.key}`));
      const recorder = new HistoryCallback<string>(keys);
      const epochIds: number[] = [];
      // Keras' ProgbarLogger comes last, after the user's callbacks.
      const cbs: readonly Callbacks[] = verbose === 0 ? o.callbacks : [...o.callbacks, new ProgressPrinter(verbose, epochs, steps)];
      const callbacks = new CallbackList<Logs>([recorder, { onEpochEnd: (e) => void epochIds.push(e) }, ...cbs]);
      const rng = new Rng(this.config.seed + 7919 * ++this.fitCount);
      // Resuming at initialEpoch: the temperature continues where a run of `epochs` epochs has it.
      let it = initialEpoch * steps;
      let T = this.config.Tmax;
      const epoch = async (): Promise<Logs> => {
        const order = o.shuffle ? rng.permutation(nTrain) : Int32Array.from({ length: nTrain }, (_, i) => i);
        let seen = 0;
        let labelledSeen = 0;
        const sums = { loss: 0, ce: 0, som: 0, reg: 0, correct: 0 };
        // Labels and probabilities of the epoch's labelled rows, for the metrics other than accuracy.
        const metricLabels: number[] = [];
        const metricProbs: number[] = [];
        for (let b = 0; b < steps; b++) {
          const idx = order.subarray(b * batchSize, Math.min(nTrain, (b + 1) * batchSize));
          for (const cb of cbs) await cb.onBatchBegin?.(b, { size: idx.length });
          T = temperature(it, iterations, this.config.Tmax, this.config.Tmin);
          const step = this.trainStep(xTrain, tT, swT, mT, lT, idx, T, extra.length > 0);
          const [loss, ce, som, reg, correct] = await step.parts.data();
          const probs = step.probs === undefined ? undefined : await step.probs.data();
          tf.dispose([step.parts, ...(step.probs === undefined ? [] : [step.probs])]);
          let nl = 0;
          idx.forEach((i, r) => {
            const label = train.labels[i]!;
            if (label < 0) return;
            nl++;
            if (probs !== undefined) {
              metricLabels.push(label);
              for (let c = 0; c < C; c++) metricProbs.push(probs[r * C + c]!);
            }
          });
          seen += idx.length;
          labelledSeen += nl;
          sums.loss += loss! * idx.length;
          sums.ce += ce! * idx.length;
          sums.som += som! * idx.length;
          sums.reg += reg! * idx.length;
          sums.correct += correct!;
          it++;
          const logs: Logs = { size: idx.length, loss: loss!, ce: ce!, som: som!, reg: reg!, temperature: T };
          if (accuracy) logs['accuracy'] = nl > 0 ? correct! / nl : Number.NaN;
          for (const cb of cbs) await cb.onBatchEnd?.(b, logs);
          if (this.stopTraining) break;
        }
        const logs: Logs = { loss: sums.loss / seen, ce: sums.ce / seen, som: sums.som / seen, reg: sums.reg / seen };
        if (accuracy) logs['accuracy'] = labelledSeen > 0 ? sums.correct / labelledSeen : Number.NaN;
        addMetrics(logs, '', extra, Int32Array.from(metricLabels), Float32Array.from(metricProbs), C);
        if (valT !== undefined) {
          const v = await this.evaluateTensors(valT.x, valT.t, valT.sw, valT.m, valT.l, T, PREDICT_CHUNK, extra);
          logs['val_loss'] = v.loss;
          if (accuracy) logs['val_accuracy'] = v.accuracy;
          for (const m of extra) logs[`val_${m.key}`] = v[m.key]!;
        }
        logs['temperature'] = T;
        return logs;
      };
      // Core's epoch loop; the training rows' statistics → class distributions and abstention
      // thresholds once the last epoch ran, before onTrainEnd.
      const finish = async (): Promise<void> => {
        const fwd = await this.forwardRows(xTrain, false);
        this.stats = { bmu: fwd.bmu, distance: fwd.bmuDist, labels: Int32Array.from(train.labels) };
        this.thresholds = computeThresholds(this.stats, this.units, C, this.abstention);
        this.fitted = true;
      };
      await runEpochs<Logs>({ epochs, initialEpoch, callbacks, stop: () => this.stopTraining, finish }, epoch);
      const record = recorder.snapshot();
      for (const v of Object.values(record)) Object.freeze(v);
      const history: History = Object.freeze({ history: Object.freeze(record) as unknown as HistoryRecord, epoch: Object.freeze(epochIds), params: Object.freeze({ epochs, steps, samples: nTrain, batchSize }) });
      this.lastHistory = history;
      return history;
    } finally {
      tf.dispose(owned);
      this.busy = false;
    }
  }

  /**
   * Loss terms and accuracy on labelled data, without training (dropout off, batch-norm moving
   * statistics). The SOM term uses the final temperature Tmin.
   * @returns `{loss, ce, som, reg, accuracy, n}` and every other compiled metric by name (metrics NaN when no row is labelled)
   */
  async evaluate(x: MatrixInput, y: LabelInput, options: { batchSize?: number } = {}): Promise<EvalLogs> {
    this.assertFitted('evaluate');
    const xm = await toMatrix(x, this.config.inputDim, 'x');
    const owned: tf.Tensor[] = xm.owned ? [xm.tensor] : [];
    try {
      const t = await toTargets(y, xm.n, this.config.nClasses);
      const up = this.uploadTargets(t, xm.tensor);
      owned.push(up.t, up.sw, up.m, up.l);
      return await this.evaluateTensors(xm.tensor, up.t, up.sw, up.m, up.l, this.config.Tmin, options.batchSize ?? PREDICT_CHUNK, extraMetrics(this.compiled ?? resolveCompile()));
    } finally {
      tf.dispose(owned);
    }
  }

  /**
   * Class probabilities (softmax of the dense block), plain data out.
   * @param x - samples, shape [n, d]
   * @returns [n, C] probabilities; with `{distances: true}` also the [n, u] squared distances
   * @throws SomError ERR_NOT_FITTED | ERR_SHAPE_MISMATCH | ERR_NON_FINITE
   */
  predict(x: MatrixInput, options?: PredictOptions & { distances?: false }): Promise<Matrix>;
  predict(x: MatrixInput, options: PredictOptions & { distances: true }): Promise<PredictionWithDistances>;
  async predict(x: MatrixInput, options: PredictOptions = {}): Promise<Matrix | PredictionWithDistances> {
    this.assertFitted('predict');
    return withMatrix(x, this.config.inputDim, 'x', false, async (xm) => {
      const f = await this.forwardRows(xm.tensor, options.distances === true, options.batchSize);
      const probabilities: Matrix = { data: f.probs, shape: [xm.n, this.config.nClasses] };
      if (options.distances === true) return { probabilities, distances: { data: f.dist!, shape: [xm.n, this.units] } };
      return probabilities;
    });
  }

  /**
   * Final labels. With `abstained: true`, distance rejection ('novel') then ambiguity rejection
   * ('ambiguous') using the thresholds from the training rows (see {@link setAbstention});
   * otherwise the argmax of `predict`.
   * @returns labels [n] (−1 when abstained) and a reason per sample
   */
  async classify(x: MatrixInput): Promise<Classification> {
    this.assertFitted('classify');
    return withMatrix(x, this.config.inputDim, 'x', false, async (xm) => {
      const f = await this.forwardRows(xm.tensor, false);
      return this.decide(f);
    });
  }

  /**
   * Sets the abstention rules and recomputes the thresholds from the stored training statistics.
   * Fields not given keep their current values. Takes effect in `classify` when the model was
   * built with `abstained: true`.
   * @throws SomError ERR_INVALID_CONFIG
   */
  setAbstention(options: AbstentionOptions): void {
    this.assertAlive();
    this.abstention = resolveAbstention(options, this.abstention);
    if (this.stats !== undefined) this.thresholds = computeThresholds(this.stats, this.units, this.config.nClasses, this.abstention);
  }

  /** Current abstention settings and thresholds (thresholds undefined before fit). */
  getAbstention(): { config: AbstentionConfig; thresholds: AbstentionThresholds | undefined } {
    return { config: this.abstention, thresholds: this.thresholds };
  }

  /**
   * Explains each prediction by its best-matching prototype: index and grid position, the
   * prototype vector, the class distribution of its labelled training hits, the predicted class
   * and, with abstention, the final label and reason.
   */
  async explain(x: MatrixInput): Promise<Explanation[]> {
    this.assertFitted('explain');
    return withMatrix(x, this.config.inputDim, 'x', false, async (xm) => {
      const f = await this.forwardRows(xm.tensor, false);
      const decided = this.decide(f);
      const P = await this.prototypes.data();
      const C = this.config.nClasses;
      const d = this.config.inputDim;
      const counts = classCounts(this.stats!, this.units, C);
      const out: Explanation[] = [];
      for (let i = 0; i < xm.n; i++) {
        const k = f.bmu[i]!;
        const [row, col] = this.grid.position(k);
        const cc = Array.from(counts.subarray(k * C, (k + 1) * C));
        const total = cc.reduce((a, b) => a + b, 0);
        const probabilities = Array.from(f.probs.subarray(i * C, (i + 1) * C));
        let predicted = 0;
        for (let c = 1; c < C; c++) if (probabilities[c]! > probabilities[predicted]!) predicted = c;
        out.push({
          bmu: k,
          row,
          col,
          prototype: P.slice(k * d, (k + 1) * d) as Float32Array,
          distance: f.bmuDist[i]!,
          classCounts: cc,
          classDistribution: cc.map((v) => (total > 0 ? v / total : 0)),
          predicted,
          probabilities,
          label: decided.labels[i]!,
          reason: decided.reasons[i]!,
        });
      }
      return out;
    });
  }

  /**
   * Per-prototype facts for the prototype map: the class predicted for each prototype vector,
   * labelled / unlabelled hits, and abstention regions.
   * @param data - optional samples `x` [n, d] and labels `y` (−1/null = unlabelled) to count hits
   *   on; default: the training rows
   */
  async inspectPrototypes(data: { x?: MatrixInput; y?: LabelInput } = {}): Promise<PrototypeInfo> {
    this.assertFitted('inspectPrototypes');
    const u = this.units;
    const C = this.config.nClasses;
    const protoFwd = await this.forwardRows(this.prototypes, false);
    const predictedClass = new Int32Array(u);
    for (let k = 0; k < u; k++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (protoFwd.probs[k * C + c]! > protoFwd.probs[k * C + best]!) best = c;
      predictedClass[k] = best;
    }
    let bmu = this.stats!.bmu;
    let dist = this.stats!.distance;
    let labels = this.stats!.labels;
    if (data.x !== undefined) {
      await withMatrix(data.x, this.config.inputDim, 'x', false, async (xm) => {
        const f = await this.forwardRows(xm.tensor, false);
        bmu = f.bmu;
        dist = f.bmuDist;
        labels = data.y === undefined ? new Int32Array(xm.n).fill(-1) : (await toTargets(data.y, xm.n, C)).labels;
      });
    }
    const labelledHits = new Int32Array(u);
    const unlabelledHits = new Int32Array(u);
    const flagged = new Int32Array(u);
    for (let i = 0; i < bmu.length; i++) {
      const k = bmu[i]!;
      if (labels[i]! >= 0) labelledHits[k]! += 1;
      else unlabelledHits[k]! += 1;
      if (dist[i]! > this.thresholds!.distanceLocal[k]!) flagged[k]! += 1;
    }
    const counts = classCounts(this.stats!, u, C);
    const noLabelledHits = new Uint8Array(u);
    const novelRegion = new Uint8Array(u);
    const ambiguousRegion = new Uint8Array(u);
    for (let k = 0; k < u; k++) {
      let t = 0;
      for (let c = 0; c < C; c++) t += counts[k * C + c]!;
      noLabelledHits[k] = t === 0 ? 1 : 0;
      const hits = labelledHits[k]! + unlabelledHits[k]!;
      novelRegion[k] = hits > 0 && flagged[k]! > hits / 2 ? 1 : 0;
      const m = this.thresholds!.prototypeMargin[k]!;
      ambiguousRegion[k] = !Number.isNaN(m) && m < this.abstention.ambiguity.margin ? 1 : 0;
    }
    return { rows: this.config.n, cols: this.config.n, topology: this.config.topology, nClasses: C, predictedClass, probabilities: protoFwd.probs, labelledHits, unlabelledHits, noLabelledHits, novelRegion, ambiguousRegion };
  }

  /**
   * Initialises the prototypes (and the activation scale) from `x` as the first `fit` does, by
   * `config.init` — the name `SOM.initialize` has. `fit` then trains from them.
   * @param x - samples, shape [n, d]
   * @throws SomError ERR_SHAPE_MISMATCH | ERR_NON_FINITE | ERR_EMPTY_INPUT
   */
  async initialize(x: MatrixInput): Promise<void> {
    this.assertAlive();
    await withMatrix(x, this.config.inputDim, 'x', false, async (xm) => {
      await this.initialise(xm.tensor);
    });
  }

  /** The prototypes, shape [u, d], unit = row·n + col (plain data out). */
  async getPrototypes(): Promise<Matrix> {
    this.assertAlive();
    return { data: (await this.prototypes.data()) as Float32Array, shape: [this.units, this.config.inputDim] };
  }

  /**
   * Keras-style table of the layers (name, type, output shape, parameter count), printed like
   * Keras' `model.summary()` (to standard output, or through `printFn`, once per line) and
   * returned.
   * @param options - `printFn`: called with each line instead of printing; `null`: print nothing
   * @returns the table
   */
  summary(options: { printFn?: ((line: string) => void) | null } = {}): string {
    this.assertAlive();
    const { inputDim, nClasses, somOutput, act } = this.config;
    const u = this.units;
    const rows: LayerRow[] = [
      { name: 'input', type: 'InputLayer', outputShape: `[null, ${inputDim}]`, params: 0, trainableParams: 0 },
      { name: 'som', type: 'SOMLayer', outputShape: `[null, ${u}]`, params: u * inputDim, trainableParams: u * inputDim },
      ...(somOutput === 'gaussian' ? [{ name: 'som_gaussian', type: 'GaussianActivation', outputShape: `[null, ${u}]`, params: 0, trainableParams: 0 }] : []),
      ...(act === 'none' ? [] : [{ name: `som_${act}`, type: 'Activation', outputShape: `[null, ${u}]`, params: 0, trainableParams: 0 }]),
      ...this.head.rows(),
      { name: 'softmax', type: 'Activation', outputShape: `[null, ${nClasses}]`, params: 0, trainableParams: 0 },
    ];
    const extra = [`SOM map: ${this.config.n}×${this.config.n} ${this.config.topology} (${u} prototypes); optimizers: som ${this.compiled ? `Adam(${this.compiled.learningRates.som})` : '—'}, dense ${this.compiled ? `Adam(${this.compiled.learningRates.dense})` : '—'}`];
    const table = formatSummary('a3som', rows, extra);
    const print = options.printFn === undefined ? (line: string) => writeStdout(line + '\n') : options.printFn;
    if (print !== null) for (const line of table.split('\n')) print(line);
    return table;
  }

  /**
   * The constructor parameters (Keras / scikit-learn `get_params`), resolved: `new
   * A3SOM(model.getParams())` builds the same architecture (with the same `denseBlock` layers,
   * which must then be fresh ones: pass new layers for a second model).
   */
  getParams(): A3SOMConfig & { denseBlock: readonly layers.Layer[] } {
    return { ...this.config, denseBlock: this.denseBlock };
  }

  /** The compile parameters (the defaults until `compile` is called; `compiled` tells which). */
  getCompileParams(): CompileConfig & { compiled: boolean } {
    const c = this.compiled ?? resolveCompile();
    return { learningRates: { ...c.learningRates }, lossWeights: { ...c.lossWeights }, metrics: [...c.metrics], compiled: this.compiled !== undefined };
  }

  /**
   * The model as a JSON-serialisable object: config, compile parameters, weights (base64
   * float32), training statistics, abstention settings and thresholds, format version.
   * Optimizer state and metric functions are not stored. Async (the weights are read from the
   * backend without blocking): `JSON.stringify(await model.toJSON())`.
   */
  async toJSON(): Promise<A3SOMModelJSON> {
    this.assertAlive();
    const tensorJson = async (t: tf.Tensor, name?: string): Promise<TensorJSON> => ({
      ...(name === undefined ? {} : { name }),
      dtype: 'float32',
      shape: [...t.shape],
      data: float32ToBase64(Float32Array.from(await t.data())),
    });
    // tfjs-layers returns the live variables here: read them, never dispose them.
    const weights = this.head.getWeights();
    const names = this.head.model.weights.map((w) => w.originalName);
    const headWeights: TensorJSON[] = [];
    for (let i = 0; i < weights.length; i++) headWeights.push(await tensorJson(weights[i]!, names[i]));
    return {
      format: A3SOM_FORMAT,
      version: A3SOM_VERSION,
      config: { ...this.config, customDenseBlock: this.head.custom },
      compile: this.compiled === undefined ? null : { learningRates: { ...this.compiled.learningRates }, lossWeights: { ...this.compiled.lossWeights }, metrics: savedMetrics(this.compiled) },
      fitted: this.fitted,
      activationScale: this.activationScale,
      prototypes: await tensorJson(this.prototypes),
      head: { topology: this.head.topology() as Json, weights: headWeights },
      training:
        this.stats === undefined
          ? null
          : { n: this.stats.bmu.length, bmu: int32ToBase64(this.stats.bmu), distance: float32ToBase64(this.stats.distance), labels: int32ToBase64(this.stats.labels) },
      abstention: {
        config: JSON.parse(JSON.stringify(this.abstention)) as AbstentionConfig,
        thresholds:
          this.thresholds === undefined
            ? null
            : { distanceGlobal: this.thresholds.distanceGlobal, distanceLocal: float32ToBase64(this.thresholds.distanceLocal), prototypeMargin: float32ToBase64(this.thresholds.prototypeMargin) },
      },
    };
  }

  /** @deprecated Since 0.2: renamed {@link toJSON} (the name `SOM` uses); kept for one minor version. */
  save(): Promise<A3SOMModelJSON> {
    return this.toJSON();
  }

  /** @deprecated Since 0.2: renamed {@link A3SOM.fromJSON} (the name `SOM` uses); kept for one minor version. */
  static load(json: unknown): Promise<A3SOM> {
    return A3SOM.fromJSON(json);
  }

  /**
   * Restores a model saved by {@link toJSON} (object or JSON string), schema-checked. A saved
   * compile configuration is re-applied (fresh optimizer state), so training can continue.
   * @throws SomError ERR_MODEL_FORMAT naming the offending field
   */
  static async fromJSON(json: unknown): Promise<A3SOM> {
    const m = parseModel(json);
    const model = new A3SOM({ ...m.config });
    try {
      const head = await DenseHead.fromTopology(m.headTopology, m.customDenseBlock).catch((e: unknown) => {
        throw new SomError('ERR_MODEL_FORMAT', `Invalid A3SOM model file: head.topology: tfjs-layers could not rebuild it (${(e as Error).message}). Custom layer classes must be registered with tf.serialization.registerClass before loading.`, { cause: e, details: { path: 'head.topology' } });
      });
      const expected = head.model.weights;
      if (expected.length !== m.headWeights.length) {
        head.dispose();
        throw new SomError('ERR_MODEL_FORMAT', `Invalid A3SOM model file: head.weights: expected ${expected.length} tensors for this topology, got ${m.headWeights.length}.`, { details: { path: 'head.weights' } });
      }
      for (let i = 0; i < expected.length; i++) {
        const want = expected[i]!.shape;
        const got = m.headWeights[i]!.shape;
        if (want.length !== got.length || want.some((s, j) => s !== got[j])) {
          head.dispose();
          throw new SomError('ERR_MODEL_FORMAT', `Invalid A3SOM model file: head.weights[${i}].shape: expected [${want.join(', ')}], got [${got.join(', ')}].`, { details: { path: `head.weights[${i}].shape` } });
        }
      }
      const ws = m.headWeights.map((w) => tf.tensor(w.values, w.shape, 'float32'));
      head.setWeights(ws);
      tf.dispose(ws);
      model.head.dispose();
      model.head = head;
      const p = tf.tensor2d(m.prototypes, [model.units, m.config.inputDim]);
      model.prototypes.assign(p);
      p.dispose();
      model.activationScale = m.activationScale;
      model.initialised = m.fitted || m.activationScale !== null;
      model.abstention = m.abstention;
      if (m.training !== null) model.stats = m.training;
      if (m.thresholds !== null) model.thresholds = m.thresholds;
      else if (model.stats !== undefined) model.thresholds = computeThresholds(model.stats, model.units, m.config.nClasses, m.abstention);
      model.fitted = m.fitted;
      if (m.compile !== null) model.compile(m.compile);
      return model;
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /** Frees every tensor of the model (prototypes, dense weights, optimizer state). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeOptimizers();
    this.prototypes.dispose();
    this.coords.dispose();
    this.head.dispose();
  }

  /**
   * Gradients of one loss term on a batch, for inspection and tests (no update is applied;
   * before the first `fit` the prototypes are initialised from `x`, as `fit` would).
   * @param term - 'ce' | 'som' | 'reg' | 'loss'
   * @returns the gradient w.r.t. the prototypes [u, d] and each trainable dense variable
   */
  async gradients(x: MatrixInput, y: LabelInput, options: { term?: 'ce' | 'som' | 'reg' | 'loss'; temperature?: number; training?: boolean } = {}): Promise<{ prototypes: Float32Array; dense: { name: string; values: Float32Array }[] }> {
    this.assertAlive();
    const xm = await toMatrix(x, this.config.inputDim, 'x');
    const owned: tf.Tensor[] = xm.owned ? [xm.tensor] : [];
    try {
      if (!this.initialised) await this.initialise(xm.tensor);
      const t = await toTargets(y, xm.n, this.config.nClasses);
      const up = this.uploadTargets(t, xm.tensor);
      owned.push(up.t, up.sw, up.m, up.l);
      const T = options.temperature ?? this.config.Tmax;
      const w = tf.tidy(() => planeNeighborhoodWeights(squaredDistances(xm.tensor, this.prototypes), this.coords, T));
      owned.push(w);
      const dense = this.head.trainableVariables();
      const term = options.term ?? 'loss';
      const { value, grads } = tf.variableGrads(() => {
        const terms = this.lossTerms(xm.tensor, up.t, up.sw, up.m, w, options.training ?? false);
        return term === 'loss' ? terms.total : terms[term];
      }, [this.prototypes, ...dense]);
      value.dispose();
      const read = async (v: tf.Variable): Promise<Float32Array> => {
        const g = grads[v.name];
        return g === undefined ? new Float32Array(v.size) : Float32Array.from(await g.data());
      };
      const out = { prototypes: await read(this.prototypes), dense: [] as { name: string; values: Float32Array }[] };
      for (const v of dense) out.dense.push({ name: v.name, values: await read(v) });
      tf.dispose(Object.values(grads));
      return out;
    } finally {
      tf.dispose(owned);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private assertAlive(): void {
    if (this.disposed) throw new SomError('ERR_INVALID_INPUT', 'This A3SOM has been disposed; create or load a new model.');
  }

  private assertFitted(what: string): void {
    this.assertAlive();
    if (!this.fitted || this.stats === undefined || this.thresholds === undefined) notFitted(what);
  }

  private disposeOptimizers(): void {
    if (this.optimizers !== undefined) {
      this.optimizers.som.dispose();
      this.optimizers.dense.dispose();
      this.optimizers = undefined;
    }
  }

  /** First-fit initialisation: activation scale (total variance) and prototypes (PCA plane / random rows). */
  private async initialise(x: tf.Tensor2D): Promise<void> {
    const [n, d] = x.shape;
    const varT = tf.tidy(() => tf.sum(tf.moments(x, 0).variance));
    const total = (await varT.data())[0]!;
    varT.dispose();
    this.activationScale = Number.isFinite(total) && total > 1e-12 ? total : 1;
    const mode = this.config.init;
    if (mode !== 'glorot') {
      const usePca = mode === 'pca' && d >= 2 && n >= 2;
      if (mode === 'pca' && !usePca) logger.debug(`a3som: init 'pca' needs ≥ 2 rows and ≥ 2 features; using random rows.`);
      const cb = await initCodebook(x, this.grid, usePca ? 'pca' : 'random', new Rng(this.config.seed + 1));
      this.prototypes.assign(cb);
      cb.dispose();
    }
    this.initialised = true;
  }

  private uploadTargets(t: Targets, x: tf.Tensor2D): { x: tf.Tensor2D; t: tf.Tensor2D; sw: tf.Tensor1D; m: tf.Tensor1D; l: tf.Tensor1D } {
    const n = t.labels.length;
    const m = new Float32Array(n);
    for (let i = 0; i < n; i++) m[i] = t.labels[i]! >= 0 ? 1 : 0;
    return { x, t: tf.tensor2d(t.targets, [n, this.config.nClasses]), sw: tf.tensor1d(m), m: tf.tensor1d(m), l: tf.tensor1d(t.labels, 'int32') };
  }

  /**
   * What the dense block sees: `act` applied to the SOM layer's output (the squared distances, or
   * their standardised Gaussian with `somOutput: 'gaussian'`). Tidy-safe; differentiable.
   * @param d - squared distances, shape [n, u]
   * @returns [n, u]
   */
  private somLayerOutput(d: tf.Tensor2D): tf.Tensor2D {
    const out = this.config.somOutput === 'gaussian' ? somActivation(d, this.activationScale ?? 1) : d;
    return activate(out, this.config.act);
  }

  /** Loss terms of a batch. Tidy-safe; `w` are constant neighbourhood weights [n, u] (computed outside the gradient closure: stop-gradient, as DESOM's precomputed weights). */
  private lossTerms(x: tf.Tensor2D, targets: tf.Tensor2D, sw: tf.Tensor1D, mask: tf.Tensor1D, w: tf.Tensor2D, training: boolean): LossTerms {
    const { gamma, eta } = (this.compiled ?? resolveCompile()).lossWeights;
    // Squared distances [n, u] → Gaussian SOM activation [n, u] → logits [n, C].
    const d = squaredDistances(x, this.prototypes);
    const logits = this.head.forward(this.somLayerOutput(d), training);
    const ce = maskedCrossEntropy(logits, targets, sw, mask);
    const som = somLoss(d, w);
    const reg = l2Regularizer(this.head.kernels());
    const total = tf.addN([ce, tf.mul(som, gamma), tf.mul(reg, eta)]) as tf.Scalar;
    return { total, ce, som, reg, logits };
  }

  /**
   * One optimisation step on rows `idx`. Returns [loss, ce, som, reg, correct] and, with
   * `withProbs`, the batch's [b, C] probabilities (caller disposes).
   */
  private trainStep(x: tf.Tensor2D, t: tf.Tensor2D, sw: tf.Tensor1D, m: tf.Tensor1D, l: tf.Tensor1D, idx: Int32Array, T: number, withProbs: boolean): { parts: tf.Tensor1D; probs?: tf.Tensor2D } {
    const opt = this.optimizers!;
    const idxT = tf.tensor1d(idx, 'int32');
    const [xb, tb, swb, mb, lb] = tf.tidy(() => [tf.gather(x, idxT), tf.gather(t, idxT), tf.gather(sw, idxT), tf.gather(m, idxT), tf.gather(l, idxT)] as const);
    // Neighbourhood weights from the current BMUs, outside the closure: constants (stop-gradient).
    const w = tf.tidy(() => planeNeighborhoodWeights(squaredDistances(xb, this.prototypes), this.coords, T));
    const dense = this.head.trainableVariables();
    let parts: tf.Tensor1D | undefined;
    let probs: tf.Tensor2D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const terms = this.lossTerms(xb, tb, swb, mb, w, true);
      const correct = tf.sum(tf.mul(tf.cast(tf.equal(tf.argMax(terms.logits, 1), lb), 'float32'), mb));
      parts = tf.keep(tf.stack([terms.total, terms.ce, terms.som, terms.reg, correct]) as tf.Tensor1D);
      if (withProbs) probs = tf.keep(tf.softmax(terms.logits));
      return terms.total;
    }, [this.prototypes, ...dense]);
    // Each optimizer applies only its own subset of the gradients.
    const pg = grads[this.prototypes.name];
    if (pg !== undefined) opt.som.applyGradients({ [this.prototypes.name]: pg });
    const dg: tf.NamedTensorMap = {};
    for (const v of dense) {
      const g = grads[v.name];
      if (g !== undefined) dg[v.name] = g;
    }
    if (Object.keys(dg).length > 0) opt.dense.applyGradients(dg);
    tf.dispose([value, ...Object.values(grads), idxT, xb, tb, swb, mb, lb, w]);
    return probs === undefined ? { parts: parts! } : { parts: parts!, probs };
  }

  /** Losses, accuracy and the `extra` metrics over rows in chunks (inference mode). */
  private async evaluateTensors(x: tf.Tensor2D, t: tf.Tensor2D, sw: tf.Tensor1D, m: tf.Tensor1D, l: tf.Tensor1D, T: number, chunk: number, extra: readonly { key: string; fn: MetricFn }[]): Promise<EvalLogs> {
    const n = x.shape[0];
    const C = this.config.nClasses;
    const mask = extra.length > 0 ? await m.data() : undefined;
    const labelsAll = extra.length > 0 ? await l.data() : undefined;
    const metricLabels: number[] = [];
    const metricProbs: number[] = [];
    let ceSum = 0;
    let somSum = 0;
    let labelled = 0;
    let correct = 0;
    for (let s = 0; s < n; s += chunk) {
      const size = Math.min(chunk, n - s);
      const r = tf.tidy(() => {
        const xb = tf.slice(x, [s, 0], [size, -1]);
        const mb = tf.slice(m, [s], [size]);
        const d = squaredDistances(xb, this.prototypes);
        const w = planeNeighborhoodWeights(d, this.coords, T);
        const logits = this.head.forward(this.somLayerOutput(d), false);
        const perRow = tf.neg(tf.sum(tf.mul(tf.slice(t, [s, 0], [size, -1]), tf.logSoftmax(logits)), 1));
        const ce = tf.sum(tf.mul(perRow, tf.slice(sw, [s], [size])));
        const som = tf.sum(tf.mul(w, d));
        const ok = tf.sum(tf.mul(tf.cast(tf.equal(tf.argMax(logits, 1), tf.slice(l, [s], [size])), 'float32'), mb));
        return [tf.stack([ce, som, tf.sum(mb), ok]), mask === undefined ? tf.zeros([0]) : tf.softmax(logits)] as const;
      });
      const [a, b, c, e] = await r[0].data();
      if (mask !== undefined) {
        const p = await r[1].data();
        for (let i = 0; i < size; i++) {
          if (mask[s + i] !== 1) continue;
          metricLabels.push(labelsAll![s + i]!);
          for (let k = 0; k < C; k++) metricProbs.push(p[i * C + k]!);
        }
      }
      tf.dispose(r);
      ceSum += a!;
      somSum += b!;
      labelled += c!;
      correct += e!;
    }
    const regT = l2Regularizer(this.head.kernels());
    const reg = (await regT.data())[0]!;
    regT.dispose();
    const { gamma, eta } = (this.compiled ?? resolveCompile()).lossWeights;
    const ce = ceSum / Math.max(1, labelled);
    const som = somSum / n;
    const out: Logs = { loss: ce + gamma * som + eta * reg, ce, som, reg, accuracy: labelled > 0 ? correct / labelled : Number.NaN, n };
    addMetrics(out, '', extra, Int32Array.from(metricLabels), Float32Array.from(metricProbs), C);
    return out as EvalLogs;
  }

  /** Probabilities, BMUs and BMU distances (and optionally all distances) of rows, in chunks. */
  private async forwardRows(x: tf.Tensor2D, withDistances: boolean, chunk = PREDICT_CHUNK): Promise<Forward> {
    const n = x.shape[0];
    const C = this.config.nClasses;
    const u = this.units;
    const probs = new Float32Array(n * C);
    const bmu = new Int32Array(n);
    const bmuDist = new Float32Array(n);
    const dist = withDistances ? new Float32Array(n * u) : undefined;
    for (let s = 0; s < n; s += chunk) {
      const size = Math.min(chunk, n - s);
      const [pT, bT, mT, dT] = tf.tidy(() => {
        const xb = tf.slice(x, [s, 0], [size, -1]);
        const d = squaredDistances(xb, this.prototypes);
        const p = tf.softmax(this.head.forward(this.somLayerOutput(d), false));
        return [p, tf.argMin(d, 1), tf.min(d, 1), withDistances ? d : tf.zeros([0])];
      });
      probs.set(await pT.data(), s * C);
      bmu.set(await bT.data(), s);
      bmuDist.set(await mT.data(), s);
      if (dist !== undefined) dist.set(await dT.data(), s * u);
      tf.dispose([pT, bT, mT, dT]);
    }
    return dist === undefined ? { probs, bmu, bmuDist } : { probs, bmu, bmuDist, dist };
  }

  private decide(f: Forward): Classification {
    const C = this.config.nClasses;
    if (this.config.abstained) return applyAbstention(f.probs, f.bmu, f.bmuDist, C, this.thresholds!, this.abstention);
    const n = f.bmu.length;
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (f.probs[i * C + c]! > f.probs[i * C + best]!) best = c;
      labels[i] = best;
    }
    return { labels, reasons: new Array<AbstentionReason | null>(n).fill(null) };
  }
}
