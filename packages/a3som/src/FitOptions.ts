import type { MatrixInput } from '@somkit/core';
import type { LabelInput } from './toTargets.js';

/** Scalars reported to callbacks and stored in the history. */
export type Logs = Record<string, number>;

/** Keras-like callbacks; each may be async (awaited). Set `model.stopTraining = true` to stop after the current batch. */
export interface Callbacks {
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  /** `logs`: loss, ce, som, reg, accuracy (when compiled with it), val_loss, val_accuracy (with validation), temperature. */
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  /** `logs`: size, loss, ce, som, reg, accuracy (when compiled with it; NaN for a batch without labels), temperature. */
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** Options of {@link A3SOM.fit}. */
export interface FitOptions {
  /** Passes over the data. Default 1 (Keras). */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** 0 silent (default), 1 or 2: one `logger.info` line per epoch (2 also one `logger.debug` line per batch). Set `logger.setLevel('info')` to see them. */
  verbose?: 0 | 1 | 2;
  /** One callback object or several. */
  callbacks?: Callbacks | readonly Callbacks[];
  /** Fraction in [0, 1) of the rows, taken from the end before shuffling (Keras), held out for validation. */
  validationSplit?: number;
  /** Validation rows: `[x, y]` or `{x, y}`; overrides `validationSplit`. */
  validationData?: readonly [MatrixInput, LabelInput] | { x: MatrixInput; y: LabelInput };
  /** Weight of each class in the cross-entropy, e.g. `{0: 1, 1: 5}`; absent classes weigh 1. */
  classWeight?: Readonly<Record<number, number>>;
  /** Reshuffle the training rows every epoch (seeded). Default true. */
  shuffle?: boolean;
}

/** Per-epoch values. `accuracy` is absent when compiled with `metrics: []`; `val_*` only with validation. */
export interface HistoryRecord {
  loss: number[];
  ce: number[];
  som: number[];
  reg: number[];
  accuracy?: number[];
  val_loss?: number[];
  val_accuracy?: number[];
  /** Temperature at the end of each epoch. */
  temperature: number[];
}

/** What `fit` returns (Keras `History`). */
export interface History {
  history: HistoryRecord;
  /** Epoch indices run, 0-based. */
  epoch: number[];
  params: { epochs: number; steps: number; samples: number; batchSize: number };
}
