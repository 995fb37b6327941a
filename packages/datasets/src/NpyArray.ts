/**
 * Element types {@link parseNpy} reads, as numpy's `descr` spells them (little-endian or
 * byte-order-free). All are converted to float32: integers beyond ±2^24 and float64 values lose
 * precision, as with `arr.astype(np.float32)`. `'|b1'` (bool) becomes 0/1.
 */
export type NpyDtype = '<f4' | '<f8' | '<f2' | '|i1' | '|u1' | '<i2' | '<u2' | '<i4' | '<u4' | '<i8' | '<u8' | '|b1';

/** An array read from a `.npy` file by {@link parseNpy}. */
export interface NpyArray {
  /** The values converted to float32, C (row-major) order; length is the product of `shape`. */
  data: Float32Array;
  /** Shape as stored, e.g. `[n, d]`; `[]` for a 0-d array. */
  shape: number[];
  /** Element type as stored in the file. */
  dtype: NpyDtype;
}
