import { quoteInput, SomError } from '@somkit/plugin-api';
import type { NpyArray, NpyDtype } from './NpyArray.js';

/** Byte size and reader of each supported dtype; readers take a little-endian DataView. */
const DTYPES: Readonly<Record<NpyDtype, { size: number; read: (v: DataView, o: number) => number }>> = {
  '<f4': { size: 4, read: (v, o) => v.getFloat32(o, true) },
  '<f8': { size: 8, read: (v, o) => v.getFloat64(o, true) },
  '<f2': { size: 2, read: (v, o) => halfToFloat(v.getUint16(o, true)) },
  '|i1': { size: 1, read: (v, o) => v.getInt8(o) },
  '|u1': { size: 1, read: (v, o) => v.getUint8(o) },
  '|b1': { size: 1, read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1) },
  '<i2': { size: 2, read: (v, o) => v.getInt16(o, true) },
  '<u2': { size: 2, read: (v, o) => v.getUint16(o, true) },
  '<i4': { size: 4, read: (v, o) => v.getInt32(o, true) },
  '<u4': { size: 4, read: (v, o) => v.getUint32(o, true) },
  '<i8': { size: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  '<u8': { size: 8, read: (v, o) => Number(v.getBigUint64(o, true)) },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Reads a NumPy `.npy` file (format versions 1.0, 2.0 and 3.0) into a float32 array. C-order,
 * little-endian numeric arrays only; see {@link NpyDtype} for the element types and how they are
 * converted. Values are not checked for NaN or Infinity.
 *
 * ```ts
 * const { data, shape } = parseNpy(new Uint8Array(await (await fetch('x.npy')).arrayBuffer()));
 * ```
 * @param bytes - the whole file
 * @throws SomError `ERR_PARSE` for a bad magic string, an unknown version, a malformed header,
 *   Fortran order, big-endian or unsupported dtypes, and truncated or oversized data (the message
 *   gives expected vs got byte counts).
 */
export function parseNpy(bytes: Uint8Array): NpyArray {
  const { dtype, shape, dataStart } = parseNpyHeader(bytes);
  const { size } = DTYPES[dtype];
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * size;
  const got = bytes.length - dataStart;
  if (got !== expected) {
    throw new SomError(
      'ERR_PARSE',
      `${got < expected ? 'Truncated' : 'Oversized'} .npy data: shape [${shape.join(', ')}] of ${dtype} needs ${expected} bytes after the ${dataStart}-byte header, got ${got}.`,
      { details: { expected, got, shape, dtype } },
    );
  }
  return { data: decodeNpyValues(bytes.subarray(dataStart), dtype, count), shape, dtype };
}

/** Byte size of one element of a supported dtype. */
export function npyItemSize(dtype: NpyDtype): number {
  return DTYPES[dtype].size;
}

/** Decodes `count` little-endian values of `dtype` from `bytes` into float32. */
export function decodeNpyValues(bytes: Uint8Array, dtype: NpyDtype, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { size, read } = DTYPES[dtype];
  const data = new Float32Array(count);
  for (let i = 0, o = 0; i < count; i++, o += size) data[i] = read(view, o);
  return data;
}

/**
 * Parses the preamble and header of a .npy file (the first bytes suffice).
 * @returns dtype, shape and the byte offset where the data start
 * @throws SomError `ERR_PARSE` as {@link parseNpy}
 */
export function parseNpyHeader(bytes: Uint8Array): { dtype: NpyDtype; shape: number[]; dataStart: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    const got = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new SomError('ERR_PARSE', `Not a .npy file: expected the magic bytes 93 4e 55 4d 50 59 ("\\x93NUMPY") and a 10-byte preamble, got ${bytes.length} bytes starting ${got || '(nothing)'}.`);
  }
  const major = bytes[6] ?? 0;
  const minor = bytes[7] ?? 0;
  let headerStart: number;
  let headerLen: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) {
      throw new SomError('ERR_PARSE', `Truncated .npy file: expected at least 12 bytes for a version ${major}.${minor} preamble, got ${bytes.length}.`);
    }
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new SomError('ERR_PARSE', `Unsupported .npy format version ${major}.${minor}; expected 1.0, 2.0 or 3.0.`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) {
    throw new SomError('ERR_PARSE', `Truncated .npy file: the header needs ${dataStart} bytes, got ${bytes.length}.`, {
      details: { expected: dataStart, got: bytes.length },
    });
  }
  // The header is ASCII (latin1 in 1.0/2.0, utf8 in 3.0; non-ASCII only occurs in structured dtypes).
  let header = '';
  for (let i = headerStart; i < dataStart; i++) header += String.fromCharCode(bytes[i] ?? 0);
  const { descr, fortran, shape } = parseHeader(header);
  if (fortran) {
    throw new SomError('ERR_PARSE', 'Fortran-order .npy is not supported; save with np.ascontiguousarray');
  }
  return { dtype: normaliseDescr(descr), shape, dataStart };
}

function bad(header: string, what: string): SomError {
  return new SomError('ERR_PARSE', `Malformed .npy header (${what}): ${quoteInput(header.trim(), 200, 'json')}.`);
}

/** Reads `descr`, `fortran_order` and `shape` from the Python dict literal numpy writes. */
function parseHeader(header: string): { descr: string; fortran: boolean; shape: number[] } {
  const body = header.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) throw bad(header, 'expected a dict literal');
  // numpy's literal_eval keeps the last of duplicate keys; a reader keeping the first would see
  // another array than numpy does.
  for (const key of ['descr', 'fortran_order', 'shape']) {
    const count = body.match(new RegExp(`['"]${key}['"]\\s*:`, 'g'))?.length ?? 0;
    if (count > 1) throw bad(header, `key '${key}' appears ${count} times; numpy keeps the last, so the file is ambiguous. Write it again with np.save`);
  }
  const descr = /['"]descr['"]\s*:\s*(?:'([^']*)'|"([^"]*)")/.exec(body);
  if (descr === null) {
    if (/['"]descr['"]\s*:\s*\[/.test(body)) {
      throw new SomError('ERR_PARSE', 'Structured (record) .npy arrays are not supported; save a plain numeric 2-D array, e.g. np.save(f, np.asarray(x, dtype=np.float32)).');
    }
    throw bad(header, "no 'descr' string");
  }
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(body);
  if (fortran === null) throw bad(header, "no 'fortran_order' True/False");
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(body);
  if (shapeM === null) throw bad(header, "no 'shape' tuple");
  const parts = (shapeM[1] ?? '').split(',').map((s) => s.trim());
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const shape = parts.map((p) => {
    if (!/^\d+L?$/.test(p)) throw bad(header, `shape entry ${JSON.stringify(p)} is not a non-negative integer`);
    return Number.parseInt(p, 10);
  });
  return { descr: descr[1] ?? descr[2] ?? '', fortran: fortran[1] === 'True', shape };
}

function normaliseDescr(descr: string): NpyDtype {
  const order = descr[0];
  const kind = descr.slice(1);
  const oneByte = kind === 'i1' || kind === 'u1' || kind === 'b1';
  if (oneByte && (order === '|' || order === '<' || order === '>' || order === '=')) return `|${kind}` as NpyDtype;
  if (order === '>') {
    throw new SomError('ERR_PARSE', `Big-endian .npy data (dtype '${descr}') is not supported; save with arr.astype('<${kind}').`);
  }
  const le = `<${kind}`;
  if ((order === '<' || order === '=') && Object.hasOwn(DTYPES, le)) return le as NpyDtype;
  throw new SomError(
    'ERR_PARSE',
    `Unsupported .npy dtype '${descr}'; expected one of ${Object.keys(DTYPES).map((k) => `'${k}'`).join(', ')}. Save with arr.astype(np.float32).`,
    { details: { dtype: descr } },
  );
}

/** IEEE 754 binary16 → number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
