import { SomError } from '@somkit/plugin-api';
import type { CallbackList } from './Callback.js';
import type { Yielder } from './Yielder.js';

/** One epoch of training: runs it and returns its logs. */
export type EpochBody<L> = (epoch: number) => Promise<L>;

/** Settings of {@link runEpochs}. */
export interface EpochPlan<L> {
  /** Total epochs of the schedule. */
  readonly epochs: number;
  /** First epoch to run (resume an interrupted run); default 0. */
  readonly initialEpoch: number;
  readonly callbacks: CallbackList<L>;
  /** Abort checks before and event-loop turns after each epoch (SOM's `signal` / `yieldEvery`). */
  readonly yielder?: Yielder;
  /** Asked before each epoch: `true` ends the loop (Keras' `model.stopTraining`). */
  readonly stop?: () => boolean;
  /** Runs after the last epoch, before `onTrainEnd` (the model completes its state there). */
  readonly finish?: () => Promise<void>;
}

/** Checks `epochs` and `initialEpoch`. @throws SomError ERR_INVALID_CONFIG */
export function checkEpochs(epochs: unknown, initialEpoch: unknown): void {
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 1) {
    throw new SomError('ERR_INVALID_CONFIG', `epochs: expected an integer ≥ 1, got ${String(epochs)}.`);
  }
  if (typeof initialEpoch !== 'number' || !Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new SomError('ERR_INVALID_CONFIG', `initialEpoch: expected an integer in [0, ${epochs - 1}] (epochs = ${epochs}), got ${String(initialEpoch)}. Pass the number of epochs already trained to resume.`);
  }
}

/**
 * The one epoch loop of somkit's training, shared by `SOM.fit`, `fitStream`, `fitSums`
 * (distributed training) and `A3SOM.fit`: for each epoch of the plan — stop and abort checks,
 * `onEpochBegin`, the epoch's body (minibatch steps, a batch-map pass fed by data, a stream or
 * distributed shards, A3SOM's gradient steps), `onEpochEnd(epoch, logs)` with the logs it returned
 * (the model's history is one of the callbacks), an event-loop turn; then `finish` and `onTrainEnd`.
 */
export async function runEpochs<L>(plan: EpochPlan<L>, body: EpochBody<L>): Promise<void> {
  const { yielder: y, callbacks } = plan;
  await callbacks.trainBegin();
  for (let e = plan.initialEpoch; e < plan.epochs && plan.stop?.() !== true; e++) {
    y?.checkAbort();
    await callbacks.epochBegin(e);
    await callbacks.epochEnd(e, await body(e));
    await y?.maybeYield('epoch');
  }
  await plan.finish?.();
  await callbacks.trainEnd();
}
