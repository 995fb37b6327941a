import { decodeBase64, encodeBase64 } from '@somkit/core';

/** int32 little-endian bytes of an array, base64 (copy). */
export function int32ToBase64(values: Int32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(4 * i, values[i]!, true);
  return encodeBase64(bytes);
}

/** Inverse of {@link int32ToBase64}; `undefined` when malformed. */
export function base64ToInt32(text: string): Int32Array | undefined {
  const bytes = decodeBase64(text);
  if (bytes === undefined || bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(4 * i, true);
  return out;
}
