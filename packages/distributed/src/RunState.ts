import { SomError } from '@somkit/plugin-api';
import type { FitHistory } from '@somkit/core';
import type { ShardDescriptor } from './ShardDescriptor.js';

/** Format tag of {@link RunState}. */
export const RUN_STATE_FORMAT = 'somkit.distributed-run';

/**
 * What the driver keeps in Redis (`<prefix>:run:<runId>:state`) so a restarted driver resumes
 * from the last finished epoch. The config is the model file at `…:model`; the codebook of
 * `version` is at `…:codebook`.
 */
export interface RunState {
  format: typeof RUN_STATE_FORMAT;
  formatVersion: 1;
  runId: string;
  /** Epochs of the run (the σ schedule runs over these). */
  totalEpochs: number;
  /** Epochs finished and applied; the next epoch to run. */
  epochsDone: number;
  /** Version of the codebook the next epoch starts from (after the last epoch: the final one). */
  version: string;
  /** Hash of the model file's text. */
  modelHash: string;
  shards: ShardDescriptor[];
  /** The SOM's whole history, finished epochs included. */
  history: FitHistory;
  finished: boolean;
  updatedAt: string;
}

/**
 * Parses a stored state (untrusted).
 * @throws SomError ERR_MODEL_FORMAT naming the problem
 */
export function parseRunState(text: string, runId: string): RunState {
  let o: Partial<RunState>;
  try {
    o = JSON.parse(text) as Partial<RunState>;
  } catch (e) {
    throw new SomError('ERR_MODEL_FORMAT', `The state of run ${runId} in Redis is not JSON.`, { cause: e });
  }
  const ok =
    typeof o === 'object' && o !== null && o.format === RUN_STATE_FORMAT && o.formatVersion === 1 && o.runId === runId &&
    Number.isInteger(o.totalEpochs) && Number.isInteger(o.epochsDone) && (o.epochsDone ?? -1) >= 0 && (o.epochsDone ?? 0) <= (o.totalEpochs ?? -1) &&
    typeof o.version === 'string' && typeof o.modelHash === 'string' && Array.isArray(o.shards) && o.shards.length > 0 &&
    typeof o.history === 'object' && o.history !== null && typeof o.finished === 'boolean';
  if (!ok) throw new SomError('ERR_MODEL_FORMAT', `The state of run ${runId} in Redis is malformed or from another format version (expected ${RUN_STATE_FORMAT} v1).`);
  return o as RunState;
}
