import { SomError } from '@somkit/plugin-api';
import { readDataFile, readNpyHeader } from '@somkit/datasets/node';
import type { CsvShard, NpyShard } from './ShardDescriptor.js';
import { splitRows } from './splitRows.js';

/** What {@link shardDataFile} returns. */
export interface ShardedFile {
  shards: Array<NpyShard | CsvShard>;
  /** Rows of the file. */
  n: number;
  /** Features per row (label column excluded). */
  d: number;
}

/**
 * Splits a `.npy` or `.csv` data file into `count` row-range shard descriptors. A `.npy` file is
 * not loaded (only its header is read); a `.csv` file is parsed once to count its rows.
 *
 * ```ts
 * const { shards, n, d } = await shardDataFile('/data/big.npy', 8);
 * ```
 * @param path - absolute path, as the workers will see it
 * @throws SomError ERR_INVALID_INPUT (other extension, bad count), ERR_IO, ERR_SHAPE_MISMATCH,
 *   ERR_EMPTY_INPUT, and the errors of `readDataFile`
 */
export async function shardDataFile(path: string, count: number, opts: { labelColumn?: string | undefined } = {}): Promise<ShardedFile> {
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) {
    if (opts.labelColumn !== undefined) {
      throw new SomError('ERR_INVALID_INPUT', `labelColumn applies to .csv files only; ${JSON.stringify(path)} is a .npy file.`);
    }
    const { shape } = await readNpyHeader(path);
    if (shape.length !== 2) {
      throw new SomError('ERR_SHAPE_MISMATCH', `Expected a 2-D [n, d] array in ${JSON.stringify(path)}, got shape [${shape.join(', ')}].`);
    }
    const [n = 0, d = 0] = shape;
    if (n === 0 || d === 0) throw new SomError('ERR_EMPTY_INPUT', `Expected at least one sample and one feature in ${JSON.stringify(path)}, got shape [${n}, ${d}].`);
    return { n, d, shards: splitRows(n, count).map(([rowStart, rowEnd]) => ({ kind: 'npy', path, rowStart, rowEnd })) };
  }
  const file = await readDataFile(path, opts.labelColumn === undefined ? {} : { labelColumn: opts.labelColumn });
  const label = opts.labelColumn === undefined ? {} : { labelColumn: opts.labelColumn };
  return { n: file.n, d: file.d, shards: splitRows(file.n, count).map(([rowStart, rowEnd]) => ({ kind: 'csv', path, ...label, rowStart, rowEnd })) };
}
