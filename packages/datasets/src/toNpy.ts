import { SomError } from '@somkit/plugin-api';

/** numpy ≥ 1.23 leaves room for the first axis to grow to this many digits. */
const GROWTH_AXIS_MAX_DIGITS = 21;

/**
 * Encodes a C-order array as a NumPy `.npy` file, format version 1.0: dtype `'<f4'` for a
 * Float32Array, `'<i4'` for an Int32Array, header padded with spaces and a final `'\n'` so the
 * data start on a 64-byte boundary. The bytes are identical to what `np.save` (numpy ≥ 1.23)
 * writes for the same array.
 *
 * ```ts
 * const bytes = toNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]); // np.load → shape (2, 3)
 * ```
 * @param data - values in C (row-major) order
 * @param shape - dimensions; their product must equal `data.length`
 * @throws SomError `ERR_SHAPE_MISMATCH` when the shape does not match `data.length` or holds a
 *   non-integer or negative dimension.
 */
export function toNpy(data: Float32Array | Int32Array, shape: readonly number[]): Uint8Array {
  if (!shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
    throw new SomError('ERR_SHAPE_MISMATCH', `Expected shape to hold non-negative integers, got [${shape.join(', ')}].`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new SomError('ERR_SHAPE_MISMATCH', `Shape [${shape.join(', ')}] holds ${count} values, but data has ${data.length}.`, {
      details: { shape: [...shape], length: data.length },
    });
  }
  const descr = data instanceof Float32Array ? '<f4' : '<i4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  if (shape.length > 0) header += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  // Pad so that magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64 (like
  // numpy, 64 spaces rather than none when already aligned).
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += `${' '.repeat(pad)}\n`;

  const out = new Uint8Array(10 + header.length + data.length * 4);
  const view = new DataView(out.buffer);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  let o = 10 + header.length;
  if (data instanceof Float32Array) {
    for (let i = 0; i < data.length; i++, o += 4) view.setFloat32(o, data[i] ?? 0, true);
  } else {
    for (let i = 0; i < data.length; i++, o += 4) view.setInt32(o, data[i] ?? 0, true);
  }
  return out;
}
