import { SomError } from '@somkit/plugin-api';
import type { EncodedSums } from './sumsCodec.js';
import type { ShardDescriptor } from './ShardDescriptor.js';

/** BullMQ job name of shard jobs. */
export const SHARD_JOB_NAME = 'somkit.shard';

/** Payload of one shard job: where the model and codebook are, and which rows to reduce. */
export interface ShardJobData {
  runId: string;
  /** Redis key of the run's model file (config and plugins). */
  modelKey: string;
  /** Hash of the model file's text, so workers cache it safely. */
  modelHash: string;
  /** Redis key of the codebook hash `{version, weights}`. */
  codebookKey: string;
  /** Codebook version the job must be computed with (see `codebookVersion`). */
  version: string;
  /** Epoch index, or -1 for an evaluation pass. */
  epoch: number;
  /** Index of the shard in the run's shard list: results are keyed by it. */
  shardId: number;
  shard: ShardDescriptor;
}

/** Return value of a shard job. */
export interface ShardJobResult extends EncodedSums {
  shardId: number;
  version: string;
  /** `host:pid` (or the worker's `name`) of the worker that computed it. */
  worker: string;
  /** Seconds the worker spent on the shard (codebook load included). */
  seconds: number;
}

/**
 * Checks a job payload (untrusted: it came through Redis).
 * @throws SomError ERR_INVALID_INPUT naming the bad field
 */
export function checkJobData(v: unknown): ShardJobData {
  const o = v as Partial<Record<keyof ShardJobData, unknown>> | null;
  if (typeof o !== 'object' || o === null) throw new SomError('ERR_INVALID_INPUT', 'Shard job without a data object.');
  for (const k of ['runId', 'modelKey', 'modelHash', 'codebookKey', 'version'] as const) {
    if (typeof o[k] !== 'string' || o[k] === '') throw new SomError('ERR_INVALID_INPUT', `Shard job: ${k} must be a non-empty string.`);
  }
  if (!Number.isInteger(o.epoch) || !Number.isInteger(o.shardId) || (o.shardId as number) < 0) {
    throw new SomError('ERR_INVALID_INPUT', 'Shard job: epoch and shardId must be integers (shardId ≥ 0).');
  }
  const s = o.shard as { kind?: unknown } | null | undefined;
  if (typeof s !== 'object' || s === null || typeof s.kind !== 'string') {
    throw new SomError('ERR_INVALID_INPUT', 'Shard job: shard must be a descriptor object with a string kind.');
  }
  return o as ShardJobData;
}
