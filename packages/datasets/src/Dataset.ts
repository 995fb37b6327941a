/**
 * A labelled, in-memory dataset: `n` samples of `d` features with one integer class per sample.
 *
 * The arrays of the embedded datasets are shared by every caller of {@link iris}, {@link wine}
 * and {@link digits}: copy them (`data.slice()`) before mutating.
 *
 * ```ts
 * import { iris } from '@somkit/datasets';
 * const { data, n, d, target, classNames } = iris(); // data: [150, 4] row-major
 * ```
 */
export interface Dataset {
  /** Short id, e.g. `'iris'`. */
  readonly name: string;
  /** One or two sentences on what the samples are. */
  readonly description: string;
  /** Number of samples. */
  readonly n: number;
  /** Number of features. */
  readonly d: number;
  /** Feature values, shape [n, d], row-major. */
  readonly data: Float32Array;
  /** Class id per sample, shape [n]; ids index {@link Dataset.classNames}. */
  readonly target: Int32Array;
  /** Name of each feature, length `d`. */
  readonly featureNames: readonly string[];
  /** Name of each class id. */
  readonly classNames: readonly string[];
  /** Licence of the data, e.g. `'CC BY 4.0'`. */
  readonly license: string;
  /** Where the data come from. */
  readonly source: string;
}
