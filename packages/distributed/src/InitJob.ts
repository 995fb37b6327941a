import { SomError } from '@somkit/plugin-api';
import type { ShardDescriptor } from './ShardDescriptor.js';

/** BullMQ job name of the jobs that initialise a codebook over all shards (before epoch 0). */
export const INIT_JOB_NAME = 'somkit.init';

/**
 * What an init job computes on its shard:
 * - `'count'`: the shard's rows (for custom shard kinds, whose descriptors do not say);
 * - `'moments'`: rows, column means and the scatter about them, in float64 (for `init: 'pca'`);
 * - `'rows'`: the rows at the given shard-local indices (for `init: 'random'`).
 */
export type InitTask = 'count' | 'moments' | 'rows';

/** Most rows one `'rows'` job may ask for (a codebook has one per unit). */
export const MAX_INIT_ROWS = 1 << 20;

/** Payload of one init job. No model or codebook is needed: only the shard and its width. */
export interface InitJobData {
  runId: string;
  task: InitTask;
  /** Index of the shard in the run's shard list: results are keyed by it. */
  shardId: number;
  shard: ShardDescriptor;
  /** Features per row the driver's map has (d). */
  dims: number;
  /** For `'rows'`: shard-local row indices, ascending, without repeats. */
  rows?: number[];
}

/** Return value of an init job. */
export interface InitJobResult {
  shardId: number;
  task: InitTask;
  /** Rows of the shard (`'rows'`: the rows read, up to the last one asked). */
  n: number;
  dims: number;
  /** `'moments'`: [d] column means, base64 of little-endian float64. */
  mean?: string;
  /** `'moments'`: the upper triangle (row by row) of Σ (x − mean)(x − mean)ᵀ [d, d], base64 float64. */
  scatter?: string;
  /** `'rows'`: the requested rows [k, d] in the order asked, base64 of little-endian float32. */
  values?: string;
  /** `host:pid` (or the worker's `name`) of the worker that computed it. */
  worker: string;
  seconds: number;
}

const TASKS: readonly InitTask[] = ['count', 'moments', 'rows'];

/**
 * Checks an init job payload (untrusted: it came through Redis).
 * @throws SomError ERR_INVALID_INPUT naming the bad field
 */
export function checkInitJobData(v: unknown): InitJobData {
  const o = v as Partial<Record<keyof InitJobData, unknown>> | null;
  if (typeof o !== 'object' || o === null) throw new SomError('ERR_INVALID_INPUT', 'Init job without a data object.');
  if (typeof o.runId !== 'string' || o.runId === '') throw new SomError('ERR_INVALID_INPUT', 'Init job: runId must be a non-empty string.');
  if (!TASKS.includes(o.task as InitTask)) throw new SomError('ERR_INVALID_INPUT', `Init job: task must be one of ${TASKS.join(', ')}, got ${JSON.stringify(o.task)}.`);
  if (!Number.isInteger(o.shardId) || (o.shardId as number) < 0 || !Number.isInteger(o.dims) || (o.dims as number) < 1) {
    throw new SomError('ERR_INVALID_INPUT', 'Init job: shardId must be an integer ≥ 0 and dims an integer ≥ 1.');
  }
  const s = o.shard as { kind?: unknown } | null | undefined;
  if (typeof s !== 'object' || s === null || typeof s.kind !== 'string') {
    throw new SomError('ERR_INVALID_INPUT', 'Init job: shard must be a descriptor object with a string kind.');
  }
  if (o.task === 'rows') {
    const rows = o.rows;
    const ok =
      Array.isArray(rows) && rows.length > 0 && rows.length <= MAX_INIT_ROWS &&
      rows.every((r, i) => Number.isSafeInteger(r) && (r as number) >= 0 && (i === 0 || (r as number) > (rows[i - 1] as number)));
    if (!ok) throw new SomError('ERR_INVALID_INPUT', `Init job: rows must be 1 to ${MAX_INIT_ROWS} ascending, distinct integers ≥ 0.`);
  }
  return o as InitJobData;
}
