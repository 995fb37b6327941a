import { SomError } from '@somkit/plugin-api';
import { npyChunks, readDataFile } from '@somkit/datasets/node';
import type { CsvShard, NpyShard, ShardDescriptor } from './ShardDescriptor.js';

/** A chunk as the built-in readers yield it. */
export interface ShardChunk {
  data: Float32Array;
  shape: [number, number];
}

/**
 * Opens a `'npy'` or `'csv'` shard with the built-in readers: a `.npy` row range is read in chunks
 * of `chunkRows` rows (bounded memory); a `.csv` file is parsed whole and its row range sliced
 * (use `.npy` for data that do not fit in a worker's memory).
 * @param chunkRows - rows per chunk, default 65,536
 * @throws SomError ERR_INVALID_INPUT (another kind, or a malformed descriptor), ERR_IO (unreadable
 *   file), plus the errors of `npyChunks` / `readDataFile`
 */
export function openBuiltinShard(shard: ShardDescriptor, chunkRows = 65_536): AsyncIterable<ShardChunk> {
  if (shard.kind === 'npy') {
    const s = checkRange(shard as NpyShard);
    return npyChunks(s.path, { rows: chunkRows, rowStart: s.rowStart, rowEnd: s.rowEnd });
  }
  if (shard.kind === 'csv') return csvRows(checkRange(shard as CsvShard), chunkRows);
  throw new SomError('ERR_INVALID_INPUT', `No reader for shard kind ${JSON.stringify(shard.kind)}: the built-in kinds are 'npy' and 'csv'. Give the worker an openShard(desc) option for custom kinds.`, { details: { kind: shard.kind } });
}

function checkRange<T extends NpyShard | CsvShard>(s: T): T {
  const ok =
    typeof s.path === 'string' && s.path.length > 0 &&
    Number.isInteger(s.rowStart) && Number.isInteger(s.rowEnd) && s.rowStart >= 0 && s.rowEnd >= s.rowStart &&
    (s.kind !== 'csv' || (s as CsvShard).labelColumn === undefined || typeof (s as CsvShard).labelColumn === 'string');
  if (!ok) {
    throw new SomError('ERR_INVALID_INPUT', `Malformed ${s.kind} shard descriptor ${JSON.stringify(s)}: expected {kind, path, rowStart, rowEnd} with integers 0 ≤ rowStart ≤ rowEnd.`);
  }
  return s;
}

async function* csvRows(s: CsvShard, chunkRows: number): AsyncGenerator<ShardChunk> {
  const file = await readDataFile(s.path, s.labelColumn === undefined ? {} : { labelColumn: s.labelColumn });
  if (s.rowEnd > file.n) {
    throw new SomError('ERR_INVALID_INPUT', `Shard rows [${s.rowStart}, ${s.rowEnd}) are outside ${JSON.stringify(s.path)}, which has ${file.n} data rows. Is the file the same on every worker?`, { details: { path: s.path, n: file.n } });
  }
  for (let r0 = s.rowStart; r0 < s.rowEnd; r0 += chunkRows) {
    const rows = Math.min(chunkRows, s.rowEnd - r0);
    yield { data: file.data.slice(r0 * file.d, (r0 + rows) * file.d), shape: [rows, file.d] };
  }
}
