// Node-only entry: reads and writes data files with node:fs. Browser code uses the main entry.
import { open, readFile, writeFile } from 'node:fs/promises';
import { SomError } from '@somkit/plugin-api';
import type { DataFile } from './DataFile.js';
import { parseCsv, type ParseCsvOptions } from './parseCsv.js';
import { decodeNpyValues, npyItemSize, parseNpy, parseNpyHeader } from './parseNpy.js';
import type { NpyDtype } from './NpyArray.js';
import { toNpy } from './toNpy.js';
import { parseTable, type ParseTableOptions } from './parseTable.js';
import type { Table } from './Table.js';

export type { DataFile } from './DataFile.js';

/** Options of {@link readDataFile}; they apply to `.csv` files (see `parseCsv`). */
export type ReadDataFileOptions = ParseCsvOptions;

const EXTENSIONS = ['.csv', '.npy'] as const;

/**
 * Reads a numeric [n, d] matrix from a `.csv` (header row, numeric columns, optional label column;
 * see `parseCsv`) or a 2-D `.npy` file (see `parseNpy`), chosen by the file extension.
 *
 * ```ts
 * import { readDataFile } from '@somkit/datasets/node';
 * const { data, n, d, labels } = await readDataFile('iris.csv', { labelColumn: 'target' });
 * ```
 * @param path - file path, ending in `.csv` or `.npy` (any case)
 * @returns `data` of shape [n, d]; `labels` of shape [n] when `labelColumn` was given
 * @throws SomError `ERR_INVALID_INPUT` (other extension, or CSV options given for a `.npy` file),
 *   `ERR_IO` (cannot read the file), `ERR_SHAPE_MISMATCH` (a `.npy` array that is not 2-D),
 *   `ERR_EMPTY_INPUT` (no samples or no features), plus the errors of `parseCsv` and `parseNpy`.
 */
export async function readDataFile(path: string, opts: ReadDataFileOptions = {}): Promise<DataFile> {
  const ext = extensionOf(path);
  if (ext === '.csv') {
    return parseCsv(await read(path, 'utf8'), opts);
  }
  if (ext === '.npy') {
    const given = (['labelColumn', 'delimiter', 'header'] as const).filter((k) => opts[k] !== undefined);
    if (given.length > 0) {
      throw new SomError('ERR_INVALID_INPUT', `Option ${given.join(', ')} applies to .csv files only; ${JSON.stringify(path)} is a .npy file, which holds features only. Drop the option, or save labels in a .csv file.`);
    }
    const { data, shape, dtype } = parseNpy(await readNpyBytes(path));
    if (shape.length !== 2) {
      throw new SomError(
        'ERR_SHAPE_MISMATCH',
        `Expected a 2-D [n, d] array in ${JSON.stringify(path)}, got shape [${shape.join(', ')}] (${dtype}). Reshape before saving, e.g. np.save(f, x.reshape(len(x), -1)).`,
        { details: { path, shape } },
      );
    }
    const [n = 0, d = 0] = shape;
    if (n === 0 || d === 0) {
      throw new SomError('ERR_EMPTY_INPUT', `Expected at least one sample and one feature in ${JSON.stringify(path)}, got shape [${n}, ${d}].`);
    }
    return { data, n, d };
  }
  throw new SomError(
    'ERR_INVALID_INPUT',
    `Cannot tell the format of ${JSON.stringify(path)}: expected a file ending in ${EXTENSIONS.join(' or ')}, got ${ext === '' ? 'no extension' : `'${ext}'`}.`,
    { details: { path, supported: [...EXTENSIONS] } },
  );
}

/**
 * Reads a `.csv` file as a {@link Table} with a schema: typed columns, missing cells counted,
 * roles applied (see `parseTable`).
 *
 * ```ts
 * import { readTable } from '@somkit/datasets/node';
 * const table = await readTable('houses.csv', { target: 'price', ignore: ['id'] });
 * ```
 * @param path - file path ending in `.csv` (any case)
 * @throws SomError `ERR_INVALID_INPUT` (not a `.csv` file), `ERR_IO`, plus the errors of `parseTable`
 */
export async function readTable(path: string, opts: ParseTableOptions = {}): Promise<Table> {
  const ext = extensionOf(path);
  if (ext !== '.csv') {
    throw new SomError('ERR_INVALID_INPUT', `readTable reads .csv files; ${JSON.stringify(path)} has ${ext === '' ? 'no extension' : `extension '${ext}'`}. Use readDataFile for .npy files.`, { details: { path } });
  }
  return parseTable(await read(path, 'utf8'), opts);
}

/**
 * Writes a C-order array as a `.npy` file (version 1.0, `'<f4'` or `'<i4'`; see `toNpy`).
 *
 * ```ts
 * await writeNpyFile('codebook.npy', weights, [units, dims]);
 * ```
 * @throws SomError `ERR_SHAPE_MISMATCH` (shape does not match `data.length`), `ERR_IO` (cannot write).
 */
export async function writeNpyFile(path: string, data: Float32Array | Int32Array, shape: readonly number[]): Promise<void> {
  const bytes = toNpy(data, shape);
  try {
    await writeFile(path, bytes);
  } catch (e) {
    throw new SomError('ERR_IO', `Could not write ${JSON.stringify(path)}: ${reason(e)}.`, { cause: e, details: { path } });
  }
}

function extensionOf(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

async function read(path: string): Promise<Uint8Array>;
async function read(path: string, encoding: 'utf8'): Promise<string>;
async function read(path: string, encoding?: 'utf8'): Promise<Uint8Array | string> {
  try {
    return encoding === undefined ? await readFile(path) : await readFile(path, encoding);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const msg = code === 'ENOENT' ? `File not found: ${JSON.stringify(path)}. Check the path.` : `Could not read ${JSON.stringify(path)}: ${reason(e)}.`;
    throw new SomError('ERR_IO', msg, { cause: e, details: { path, code } });
  }
}

/**
 * The bytes of a .npy file, reading at most what its header declares (+ 1 byte, which tells an
 * oversized file): a character device or a pipe (`/dev/zero`, `/dev/urandom`) is never read
 * without limit, and a regular file whose size disagrees with its header is refused before the
 * data are read.
 */
async function readNpyBytes(path: string): Promise<Uint8Array> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const msg = code === 'ENOENT' ? `File not found: ${JSON.stringify(path)}. Check the path.` : `Could not read ${JSON.stringify(path)}: ${reason(e)}.`;
    throw new SomError('ERR_IO', msg, { cause: e, details: { path, code } });
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new SomError('ERR_IO', `Could not read ${JSON.stringify(path)}: it is a directory. Pass a .npy file.`, { details: { path } });
    const head = await readUpTo(fh, 65_536, path);
    const { dtype, shape, dataStart } = parseNpyHeader(head);
    const expected = shape.reduce((a, b) => a * b, 1) * npyItemSize(dtype);
    if (st.isFile() && st.size - dataStart !== expected) {
      const got = st.size - dataStart;
      throw new SomError('ERR_PARSE', `${got < expected ? 'Truncated' : 'Oversized'} .npy data: shape [${shape.join(', ')}] of ${dtype} needs ${expected} bytes after the ${dataStart}-byte header, got ${got}.`, { details: { expected, got, shape, dtype } });
    }
    const rest = await readUpTo(fh, dataStart + expected + 1 - head.length, path);
    const out = new Uint8Array(head.length + rest.length);
    out.set(head, 0);
    out.set(rest, head.length);
    return out;
  } finally {
    await fh.close();
  }
}

/** Reads sequentially until `max` bytes or the end of the file. */
async function readUpTo(fh: Awaited<ReturnType<typeof open>>, max: number, path: string): Promise<Uint8Array> {
  let buf = new Uint8Array(Math.max(0, Math.min(max, 1 << 20)));
  let len = 0;
  while (len < max) {
    if (len === buf.length) {
      const grown = new Uint8Array(Math.min(max, buf.length * 2));
      grown.set(buf);
      buf = grown;
    }
    let bytesRead: number;
    try {
      ({ bytesRead } = await fh.read(buf, len, buf.length - len, null));
    } catch (e) {
      throw new SomError('ERR_IO', `Could not read ${JSON.stringify(path)}: ${reason(e)}.`, { cause: e, details: { path } });
    }
    if (bytesRead === 0) break;
    len += bytesRead;
  }
  return buf.subarray(0, len);
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Options of {@link npyChunks}. */
export interface NpyChunksOptions {
  /** Rows per chunk. Default 65,536. */
  rows?: number;
  /** First row to read (0-based, inclusive). Default 0. */
  rowStart?: number;
  /** Row after the last one to read (exclusive), at most the file's row count. Default: all rows. */
  rowEnd?: number;
}

/** The header of a `.npy` file: element type, shape and where the data start. */
export interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  /** Byte offset of the first element. */
  dataStart: number;
  /** File size in bytes. */
  size: number;
}

/**
 * Reads only the header of a `.npy` file (its shape and dtype), without loading the data.
 *
 * ```ts
 * const { shape: [n, d] } = await readNpyHeader('big.npy');
 * ```
 * @throws SomError ERR_IO (unreadable), ERR_PARSE (bad header)
 */
export async function readNpyHeader(path: string): Promise<NpyHeader> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new SomError('ERR_IO', `Cannot read ${JSON.stringify(path)}: ${reason(e)}.`, { cause: e, details: { path } });
  }
  try {
    return await headerOf(fh);
  } finally {
    await fh.close();
  }
}

async function headerOf(fh: Awaited<ReturnType<typeof open>>): Promise<NpyHeader> {
  const size = (await fh.stat()).size;
  const head = new Uint8Array(Math.min(size, 65_536));
  await fh.read(head, 0, head.length, 0);
  return { ...parseNpyHeader(head), size };
}

/**
 * Reads a 2-D .npy file [n, d] in row chunks without loading it whole, for training on data
 * larger than memory (`som.fitStream(() => npyChunks(path))`). Memory: one chunk of `rows × d` floats.
 * `rowStart` / `rowEnd` restrict the read to a row range (a data shard).
 * @throws SomError ERR_IO (unreadable), ERR_PARSE (bad header / size), ERR_SHAPE_MISMATCH (not 2-D),
 *   ERR_INVALID_INPUT (bad `rows`, or a row range outside the file)
 */
export async function* npyChunks(path: string, opts: NpyChunksOptions = {}): AsyncGenerator<{ data: Float32Array; shape: [number, number] }> {
  const rowsPerChunk = opts.rows ?? 65_536;
  if (!Number.isInteger(rowsPerChunk) || rowsPerChunk < 1) {
    throw new SomError('ERR_INVALID_INPUT', `npyChunks: rows must be an integer ≥ 1, got ${String(opts.rows)}.`);
  }
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new SomError('ERR_IO', `Cannot read ${JSON.stringify(path)}: ${reason(e)}.`, { cause: e });
  }
  try {
    const { dtype, shape, dataStart, size } = await headerOf(fh);
    if (shape.length !== 2) {
      throw new SomError('ERR_SHAPE_MISMATCH', `Expected a 2-D [n, d] array in ${path}, got shape [${shape.join(', ')}].`);
    }
    const [n, d] = shape as [number, number];
    const item = npyItemSize(dtype);
    if (size - dataStart !== n * d * item) {
      throw new SomError('ERR_PARSE', `${path}: shape [${n}, ${d}] of ${dtype} needs ${n * d * item} data bytes, the file has ${size - dataStart}.`);
    }
    const start = opts.rowStart ?? 0;
    const end = opts.rowEnd ?? n;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > n) {
      throw new SomError('ERR_INVALID_INPUT', `npyChunks: expected integer rows 0 ≤ rowStart ≤ rowEnd ≤ ${n} (the rows of ${path}), got rowStart=${String(opts.rowStart)}, rowEnd=${String(opts.rowEnd)}.`, { details: { path, n, rowStart: opts.rowStart, rowEnd: opts.rowEnd } });
    }
    for (let r0 = start; r0 < end; r0 += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, end - r0);
      const buf = new Uint8Array(rows * d * item);
      const { bytesRead } = await fh.read(buf, 0, buf.length, dataStart + r0 * d * item);
      if (bytesRead !== buf.length) throw new SomError('ERR_IO', `${path}: short read at row ${r0} (${bytesRead} of ${buf.length} bytes).`);
      yield { data: decodeNpyValues(buf, dtype, rows * d), shape: [rows, d] };
    }
  } finally {
    await fh.close();
  }
}
