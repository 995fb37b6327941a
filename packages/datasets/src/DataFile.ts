/**
 * A numeric [n, d] matrix read from a data file by `readDataFile` (`@somkit/datasets/node`).
 * `.csv` files carry feature names, and labels when a label column was named; `.npy` files
 * carry only the values.
 */
export interface DataFile {
  /** Feature values, shape [n, d], row-major. */
  data: Float32Array;
  /** Number of samples. */
  n: number;
  /** Number of features. */
  d: number;
  /** Name of each feature (CSV header), length `d`. */
  featureNames?: string[] | undefined;
  /** Label id per sample, shape [n] (CSV with a label column). */
  labels?: Int32Array | undefined;
  /** Text of each label id as written, when the labels were not all canonical integers. */
  labelNames?: string[] | undefined;
}
