import { SomError } from '@somkit/plugin-api';
import { Preprocessing } from './Preprocessing.js';

/** A codebook as a table in the training table's original units: see {@link codebookToTable}. */
export interface CodebookTable {
  /** `unit`, `row`, `col`, then per feature column its name, and `NAME_share` after categorical and boolean ones. */
  readonly columns: readonly string[];
  /** One row per unit, in unit order (`u = row·cols + col`), values in the order of `columns`. */
  readonly rows: readonly (readonly (number | string)[])[];
}

/**
 * fastsom's `codebook_to_df(recategorize=True, denorm=True)`: the codebook as a table in the
 * training table's original units, through the preprocessing the model was trained with
 * (`som.preprocessing`, as JSON, or a {@link Preprocessing}). Numeric columns are unscaled;
 * categorical and boolean columns give their most likely value by name (a boolean as the file
 * spelt it, e.g. `yes`) and that value's share of the unit's one-hot mass (`NAME_share`, 0–1).
 * Grid positions come first (fastsom appends `som_row`, `som_col`). `somkit export` writes the
 * same table as codebook.csv.
 *
 * ```ts
 * const t = codebookToTable(som.preprocessing, som.getCodebook());
 * t.columns; // ['unit', 'row', 'col', 'age', 'color', 'color_share', …]
 * t.rows[0]; // [0, 0, 0, 41.2, 'red', 0.83, …]
 * ```
 * @param preprocessing - the fitted pipeline, or its JSON
 * @param codebook - `weights` [u, d] in the pipeline's transformed dims, `units`, grid `cols`
 * @throws SomError `ERR_INVALID_INPUT` without a pipeline, `ERR_MODEL_FORMAT` for malformed JSON, `ERR_SHAPE_MISMATCH` when d is not the pipeline's dims
 */
export function codebookToTable(preprocessing: Preprocessing | unknown, codebook: { readonly weights: ArrayLike<number>; readonly units: number; readonly cols: number }): CodebookTable {
  if (preprocessing === undefined || preprocessing === null) {
    throw new SomError('ERR_INVALID_INPUT', 'codebookToTable: expected the preprocessing the model was trained with (som.preprocessing), got none. A model trained on a plain matrix has no original units: use som.getWeights() instead.');
  }
  const pp = preprocessing instanceof Preprocessing ? preprocessing : Preprocessing.fromJSON(preprocessing);
  const cells = pp.inverse({ data: codebook.weights, shape: [codebook.units, pp.dims] });
  const columns = ['unit', 'row', 'col', ...pp.columns.flatMap((c) => (c.type === 'numeric' ? [c.name] : [c.name, `${c.name}_share`]))];
  const rows = cells.map((row, u) => [
    u,
    Math.floor(u / codebook.cols),
    u % codebook.cols,
    ...row.flatMap((c) => (c.type === 'numeric' ? [c.value] : c.type === 'boolean' ? [c.text, c.share] : [c.value, c.share])),
  ]);
  return { columns, rows };
}
