/**
 * A numeric table read from text, e.g. by {@link parseCsv}.
 *
 * ```ts
 * const t: ParsedTable = parseCsv('a,b,label\n1,2,cat\n3,4,dog\n', { labelColumn: 'label' });
 * // t.data: [n=2, d=2] row-major; t.labels = [0, 1]; t.labelNames = ['cat', 'dog']
 * ```
 */
export interface ParsedTable {
  /** Feature values, shape [n, d], row-major. */
  data: Float32Array;
  /** Number of samples (data rows). */
  n: number;
  /** Number of features (columns other than the label column). */
  d: number;
  /** Name of each feature column, length `d`, in file order. */
  featureNames: string[];
  /** Label id per sample, shape [n]; present only when a label column was asked for. */
  labels?: Int32Array | undefined;
  /**
   * Present when the labels were not all canonical integers (`0`, `7`, `-1`; not `+7` or `007`):
   * `labelNames[id]` is the text of label `id` as written, ids numbered in order of first appearance.
   */
  labelNames?: string[] | undefined;
}
