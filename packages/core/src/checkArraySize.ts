import { SomError, type SomErrorCode } from '@somkit/plugin-api';

/**
 * The most bytes one float32 array of a run may take: 1 GiB (2³⁰ bytes, 268,435,456 values).
 * Sizes beyond it are refused up front, with the memory they would need, instead of failing
 * minutes later with an out-of-memory crash or a `RangeError` from the typed-array allocator.
 */
export const MAX_ARRAY_BYTES = 2 ** 30;

/** Bytes as a short human figure (`1.2 GB`, `40 TB`). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v} bytes` : `${v.toPrecision(3)} ${units[i]}`;
}

/**
 * Refuses a float32 array of `shape` (e.g. `[batchSize, units]`) larger than
 * {@link MAX_ARRAY_BYTES}.
 * @param what - what the array is (`'the [batchSize, units] block of distances'`)
 * @param fix - how to make it fit (`'Use a smaller map or a smaller batchSize.'`)
 * @throws SomError `code` (default ERR_INVALID_CONFIG) with the bytes it would need
 */
export function checkArraySize(what: string, shape: readonly number[], fix: string, code: SomErrorCode = 'ERR_INVALID_CONFIG', field?: string): void {
  const values = shape.reduce((a, b) => a * b, 1);
  const bytes = values * 4;
  if (bytes <= MAX_ARRAY_BYTES) return;
  throw new SomError(code, `${what}: a [${shape.join(', ')}] float32 array would need ${formatBytes(bytes)}; one array may take at most ${formatBytes(MAX_ARRAY_BYTES)} (${MAX_ARRAY_BYTES} bytes). ${fix}`, { details: { ...(field !== undefined ? { field } : {}), bytes, limit: MAX_ARRAY_BYTES } });
}
