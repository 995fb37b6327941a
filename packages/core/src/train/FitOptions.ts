import type { AbortSignalLike, EngineRef } from '@somkit/plugin-api';
import type { Callback } from './Callback.js';
import type { EpochLogs } from './EpochLogs.js';
import type { YieldEvery } from './Yielder.js';

/** Options of `SOM.fit` (and, where they apply, `fitStream` / `fitSums`). */
export interface FitOptions {
  /** Called after every epoch; may be async. The codebook of that epoch is readable inside it (`getWeights()`). */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  /** Callback objects (tfjs-layers style), called after `onEpochEnd`. */
  callbacks?: readonly Callback<EpochLogs>[];
  /**
   * Stops training; `fit` then rejects with `ERR_ABORTED` and the codebook keeps the steps already
   * applied. Checked between engine calls — one `yieldEvery` interval apart (one batch with 'batch').
   */
  signal?: AbortSignalLike;
  /**
   * When to give the event loop a turn so a browser tab stays responsive (tfjs-layers semantics):
   * 'auto' (default: whenever 25 ms passed), 'batch', 'epoch', 'never', or a number of ms.
   */
  yieldEvery?: YieldEvery;
  /** Shuffle samples each epoch (minibatch rule). Default true. */
  shuffle?: boolean;
  /** Total epochs of the schedule for this call. Default: the configured epochs. */
  epochs?: number;
  /**
   * First epoch to run, 0 ≤ initialEpoch < epochs (Keras `initial_epoch`): resumes an interrupted
   * run where it stopped, with the σ / learning-rate schedule of epochs `initialEpoch … epochs − 1`.
   * Default 0.
   */
  initialEpoch?: number;
  /** The engine for this call (overrides the SOM's `engine` option and `useEngine`). Never saved. */
  engine?: EngineRef;
}
