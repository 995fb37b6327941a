import type { Callback, MatrixInput } from '@somkit/core';
import type { LabelInput } from './toTargets.js';
import type { Verbose } from './Verbose.js';

/** Scalars reported to callbacks and stored in the history. */
export type Logs = Record<string, number>;

/**
 * A3SOM's callbacks: the callbacks of `@somkit/core` (`Callback<Logs>` — `onTrainBegin()`,
 * `onEpochBegin(epoch)`, `onEpochEnd(epoch, logs)`, `onTrainEnd()`, the shapes `SOM.fit` uses too)
 * plus Keras' per-batch hooks. Each may be async (awaited). Set `model.stopTraining = true` to stop
 * after the current batch.
 *
 * `onEpochEnd` logs: loss, ce, som, reg, accuracy (when compiled with it), val_loss, val_accuracy
 * (with validation), temperature. A core `History` object passed as a callback records them.
 */
export type Callbacks = Callback<Logs> & {
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  /** `logs`: size, loss, ce, som, reg, accuracy (when compiled with it; NaN for a batch without labels), temperature. */
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
};

/** Options of {@link A3SOM.fit}. Any other key is refused (ERR_INVALID_CONFIG). */
export interface FitOptions {
  /** Total epochs of the temperature schedule. Default 1 (Keras). */
  epochs?: number;
  /**
   * First epoch to run, 0 ≤ initialEpoch < epochs (Keras `initial_epoch`): runs epochs
   * `initialEpoch … epochs − 1`, with the temperatures those epochs have in a schedule of `epochs`
   * epochs (e.g. to resume an interrupted run where it stopped; the rows are shuffled with the
   * call's own seed, so the result is not bit-identical to an uninterrupted run). Default 0.
   */
  initialEpoch?: number;
  /** Keras' spelling of {@link initialEpoch} (give one of the two). */
  initial_epoch?: number;
  /**
   * Accepted for Keras compatibility and has no effect: Keras' `workers` are Python processes or
   * threads that feed batches from a generator; here the rows are already in memory (one tensor)
   * and the arithmetic's parallelism is the tfjs backend's (e.g. wasm threads, WebGL), not
   * the data loader's. An integer ≥ 0.
   */
  workers?: number;
  /** Default 32. */
  batchSize?: number;
  /**
   * Keras semantics, printed to standard output: `'auto'` (default) is 1 on a terminal and 2
   * otherwise; 0 silent; 1 a progress bar per epoch; 2 one line per epoch.
   */
  verbose?: Verbose;
  /** One callback object or several (e.g. a `History` of `@somkit/core`). */
  callbacks?: Callbacks | readonly Callbacks[];
  /** Fraction in [0, 1) of the rows, taken from the end before shuffling (Keras), held out for validation. A split whose labelled rows hold a single class is warned about (`logger.warn`): shuffle class-sorted data first. */
  validationSplit?: number;
  /** Validation rows: `[x, y]` or `{x, y}`; overrides `validationSplit`. */
  validationData?: readonly [MatrixInput, LabelInput] | { x: MatrixInput; y: LabelInput };
  /** Weight of each class in the cross-entropy, e.g. `{0: 1, 1: 5}`; absent classes weigh 1. */
  classWeight?: Readonly<Record<number, number>>;
  /** Reshuffle the training rows every epoch (seeded). Default true. */
  shuffle?: boolean;
}

/**
 * Per-epoch values of one `fit` call, recorded by a `History` callback of `@somkit/core`, in this
 * order. `accuracy` is absent when compiled with `metrics: []`; every other compiled metric
 * has its own key; `val_*` only with validation. Read-only (frozen).
 */
export type HistoryRecord = {
  readonly loss: readonly number[];
  readonly ce: readonly number[];
  readonly som: readonly number[];
  readonly reg: readonly number[];
  /** Temperature at the end of each epoch. */
  readonly temperature: readonly number[];
  readonly accuracy?: readonly number[];
  readonly val_loss?: readonly number[];
  readonly val_accuracy?: readonly number[];
  /** Other compiled metrics (`precision`, `val_precision`, a function's name …). */
  readonly [metric: string]: readonly number[] | undefined;
};

/** What `fit` returns (Keras `History`); read-only (frozen). */
export type History = {
  /** The record of the call's `History` callback (`@somkit/core`). */
  readonly history: HistoryRecord;
  /** Epoch indices run, 0-based (`initialEpoch` … the last epoch run). */
  readonly epoch: readonly number[];
  readonly params: { readonly epochs: number; readonly steps: number; readonly samples: number; readonly batchSize: number };
};
