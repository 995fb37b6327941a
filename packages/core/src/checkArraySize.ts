import { SomError, type SomErrorCode } from '@somkit/plugin-api';

/**
 * The most bytes one float32 array of a run may take: 1 GiB (2³⁰ bytes, 268,435,456 values).
 * Sizes beyond it are refused up front, with the memory they would need, instead of failing
 * minutes later with an out-of-memory crash or a `RangeError` from the typed-array allocator.
 */
export const MAX_ARRAY_BYTES = 2 ** 30;

/**
 * Refuses a float32 array of `shape` (e.g. `[batchSize, units]`) larger than
 * {@link MAX_ARRAY_BYTES}; the message gives the GiB it would need.
 * @param what - what the array is (`'rows × cols, batchSize: a step's distances [batchSize, units]'`)
 * @param fix - how to make it fit (`'Use a smaller map or batchSize.'`)
 * @throws SomError `code` (default ERR_INVALID_CONFIG)
 */
export function checkArraySize(what: string, shape: readonly number[], fix: string, code: SomErrorCode = 'ERR_INVALID_CONFIG'): void {
  const bytes = shape.reduce((a, b) => a * b, 4);
  if (bytes > MAX_ARRAY_BYTES) throw new SomError(code, `${what}: a [${shape.join(', ')}] float32 array would need ${(bytes / MAX_ARRAY_BYTES).toPrecision(3)} GiB, over the 1 GiB limit. ${fix}`);
}
