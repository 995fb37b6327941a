/** k best units per sample, as plain arrays. */
export interface TopUnits {
  /** [n, k] flat unit indices, row-major, nearest first. */
  indices: Int32Array;
  /** [n, k] distances, ascending per sample. */
  distances: Float32Array;
  k: number;
}
