import { SomError } from '@somkit/plugin-api';
import type { CallbackList } from './Callback.js';
import type { EpochLogs } from './EpochLogs.js';
import type { PassStats } from './PassStats.js';
import { now, type Yielder } from './Yielder.js';

/** What one epoch of a rule returns: the QE/TE statistic of its pass. */
export type EpochBody = (epoch: number, learningRate: number, sigma: number) => Promise<PassStats>;

/** Settings of {@link runEpochs}. */
export interface EpochPlan {
  /** Total epochs of the schedule. */
  readonly epochs: number;
  /** First epoch to run (resume an interrupted run); default 0. */
  readonly initialEpoch: number;
  /** Learning rate and σ of an epoch. */
  readonly schedule: (epoch: number) => { learningRate: number; sigma: number };
  readonly yielder: Yielder;
  readonly callbacks: CallbackList<EpochLogs>;
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
 * The one epoch loop of somkit's training: for each epoch of the plan — abort check, schedule,
 * the rule's body (minibatch steps, or a batch-map pass fed by data, a stream or distributed
 * shards), logs, callbacks (the model's history is one of them), an event-loop turn.
 */
export async function runEpochs(plan: EpochPlan, body: EpochBody): Promise<void> {
  const { yielder: y, callbacks } = plan;
  await callbacks.trainBegin();
  for (let e = plan.initialEpoch; e < plan.epochs; e++) {
    y.checkAbort();
    await callbacks.epochBegin(e);
    const t0 = now();
    const { learningRate, sigma } = plan.schedule(e);
    if (!(sigma > 0) || !Number.isFinite(sigma) || !Number.isFinite(learningRate)) {
      throw new SomError('ERR_INVALID_CONFIG', `The schedules gave sigma=${sigma}, learningRate=${learningRate} at epoch ${e}; sigma must stay > 0 and both finite. Check sigmaDecay/lrDecay.`);
    }
    const stats = await body(e, learningRate, sigma);
    const logs: EpochLogs = { epoch: e, qe: stats.qe, te: stats.te, learningRate, sigma, seconds: (now() - t0) / 1000 };
    await callbacks.epochEnd(e, logs);
    await y.maybeYield('epoch');
  }
  await callbacks.trainEnd();
}
