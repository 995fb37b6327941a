/**
 * The type of a table column, inferred from its observed (non-missing) cells by `parseTable`:
 * - `numeric`: every observed cell is a finite decimal number;
 * - `boolean`: every observed cell is one word of one pair — `false`/`true`, `no`/`yes` or `0`/`1`
 *   (case-insensitive);
 * - `categorical`: anything else, or a column named in the `categorical` option.
 */
export type ColumnType = 'numeric' | 'categorical' | 'boolean';

/**
 * What a column is used for: `feature` (the default), `label` (class of each row, the
 * `labelColumn` option), `target` (a numeric regression target, kept out of the features) or
 * `ignore` (excluded).
 */
export type ColumnRole = 'feature' | 'label' | 'target' | 'ignore';

/** One column of a {@link Table}. */
export interface TableColumn {
  /** Header name (with `header: false`, the 0-based index as text). */
  readonly name: string;
  readonly type: ColumnType;
  readonly role: ColumnRole;
  /** Number of missing cells (see the `missingValues` option of `parseTable`). */
  readonly missing: number;
  /**
   * Per row, shape [n]: `numeric` the value; `boolean` 0 or 1; `categorical` the index into
   * `categories`; NaN for a missing cell. (Float64: the value as written, before any float32.)
   */
  readonly values: Float64Array;
  /**
   * `categorical`: the distinct cells as written, in order of first appearance.
   * `boolean`: the spellings of false and true, `[false, true]` (e.g. `['no', 'yes']`, `['0', '1']`).
   */
  readonly categories?: readonly string[];
  /** Observed count of each entry of `categories` (same length). */
  readonly counts?: readonly number[];
  /** `numeric`: the smallest and largest observed value (absent when every cell is missing). */
  readonly min?: number;
  readonly max?: number;
  /**
   * The cells as written (trimmed, unquoted), shape [n]; absent in a table made from a matrix
   * (`tableFromMatrix`).
   */
  readonly text?: readonly string[];
}

/**
 * A table read with a schema by `parseTable` (`readTable` in `@somkit/datasets/node`): typed
 * columns in file order, missing cells counted, roles applied. Turn it into an [n, D] feature
 * matrix with `fitPreprocessing(table).transform(table)`.
 *
 * ```ts
 * const t: Table = parseTable('x,color,y\n1,red,0\n2,,1\n', { labelColumn: 'y' });
 * // t.n === 2; t.columns[1]: { name: 'color', type: 'categorical', role: 'feature', missing: 1 }
 * ```
 */
export interface Table {
  /** Number of data rows. */
  readonly n: number;
  /** Every column in file order, including label, target and ignored columns. */
  readonly columns: readonly TableColumn[];
  /** 1-based line on which each row starts, shape [n] (for error messages). */
  readonly lines: Int32Array;
  /** Label id per row, shape [n], when a label column was named (rule of `labelIds`). */
  readonly labels?: Int32Array;
  /** Text of each label id, when the labels are not all canonical integers. */
  readonly labelNames?: readonly string[];
  /** Regression target per row, shape [n], NaN where missing, when a target column was named. */
  readonly target?: Float64Array;
  /** The missing-value markers the table was read with. */
  readonly missingValues: readonly string[];
}
