import type { MatrixInput } from '@somkit/core';

/** Rows `[rowStart, rowEnd)` of a 2-D `.npy` file, read in bounded chunks by the worker. */
export interface NpyShard {
  kind: 'npy';
  /** Path on the worker's filesystem. */
  path: string;
  /** First row (0-based, inclusive). */
  rowStart: number;
  /** Row after the last one (exclusive). */
  rowEnd: number;
}

/** Data rows `[rowStart, rowEnd)` (header excluded) of a `.csv` file, read by the worker. */
export interface CsvShard {
  kind: 'csv';
  /** Path on the worker's filesystem. */
  path: string;
  /** Column holding labels, kept out of the features (as in `readDataFile`). */
  labelColumn?: string;
  rowStart: number;
  rowEnd: number;
}

/** A shard of any other kind, opened by the worker's `openShard` option. Must be JSON-serializable. */
export interface CustomShard {
  kind: string;
  [key: string]: unknown;
}

/**
 * Where a shard's rows live. Only this descriptor travels through Redis, never the data: every
 * worker must be able to open it (the same path on every machine, or a custom `openShard`).
 */
export type ShardDescriptor = NpyShard | CsvShard | CustomShard;

/**
 * Opens a shard on a worker: yields its rows as chunks [n_i, dims]. Return `undefined` to let the
 * built-in readers handle `'npy'` and `'csv'` descriptors.
 */
export type ShardOpener = (
  shard: ShardDescriptor,
) => AsyncIterable<MatrixInput> | Iterable<MatrixInput> | undefined | Promise<AsyncIterable<MatrixInput> | Iterable<MatrixInput> | undefined>;
