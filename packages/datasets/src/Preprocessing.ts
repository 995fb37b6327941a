import { SomError } from '@somkit/plugin-api';
import type { Table, TableColumn } from './Table.js';
import { booleanValue, BOOLEAN_PAIRS, missingMatcher, NUMBER } from './cellGrammar.js';

/**
 * How numeric (and boolean) columns are scaled, from the observed training values:
 * `zscore` (x − mean) / sd (population sd), `minmax` (x − min) / (max − min), `none` as is.
 * A constant column gets scale 1 (zscore: centred to 0; minmax: shifted to 0), never NaN.
 */
export type Scaling = 'zscore' | 'minmax' | 'none';

/** One feature column of a saved {@link Preprocessing}. Transformed value = (x − center) / scale. */
export type PreprocessingColumnJson =
  | { name: string; type: 'numeric'; center: number; scale: number; integer: boolean }
  | { name: string; type: 'boolean'; center: number; scale: number; values: [string, string] }
  | { name: string; type: 'categorical'; categories: string[]; counts: number[]; weight: number };

/** The JSON of a {@link Preprocessing} (`toJSON()`; stored in the model file as `preprocessing`). */
export type PreprocessingJson = {
  format: 'somkit.preprocessing';
  version: 1;
  scaling: Scaling;
  /** Missing-value markers of the training data (the default for data read for this model). */
  missingValues: string[];
  /** Feature columns in order; their transformed dims follow one another. */
  columns: PreprocessingColumnJson[];
  /** Columns of the training file that were not features (label, target, ignored). */
  excluded: string[];
  /**
   * Which excluded columns were the label and the regression target, so that tools reading a
   * model find them without flags. Optional: pipelines saved before it had no roles.
   */
  roles?: PreprocessingRoles;
};

/** The label and target columns of the training file (both among `excluded`). */
export type PreprocessingRoles = {
  label?: string;
  target?: string;
};

/** The result of {@link Preprocessing.transform}. */
export interface TransformedTable {
  /** Features, shape [n, d], row-major; NaN in every dim of a missing cell. */
  data: Float32Array;
  n: number;
  /** Transformed dims (`Preprocessing.dims`). */
  d: number;
  /** Missing cells over the feature columns (original cells, not dims; unknown categories included). */
  missingCells: number;
  /** Per categorical column, the cells holding a category not seen in training (read as missing). */
  unknown: Record<string, number>;
}

/** One column of a codebook vector in original units: see {@link Preprocessing.inverse}. */
export type InverseCell =
  | { name: string; type: 'numeric'; value: number; text: string }
  | { name: string; type: 'boolean'; value: boolean; share: number; text: string }
  | { name: string; type: 'categorical'; value: string; share: number; shares: number[]; text: string };

const SCALINGS: readonly Scaling[] = ['zscore', 'minmax', 'none'];

/**
 * A fitted preprocessing pipeline (made by `fitPreprocessing`): per feature column, a scaling
 * (numeric, boolean) or a weighted one-hot encoding (categorical), turning a {@link Table} into
 * the [n, d] matrix a SOM trains on, with NaN for missing cells. It round-trips through JSON
 * (`toJSON` / `Preprocessing.fromJSON`) so a model file can carry it.
 *
 * Rules:
 * - Columns are found by name; a feature column of the data that the pipeline does not know (and
 *   that was not excluded at fit time) is an error, as is a pipeline column the data lacks.
 * - A category seen only at transform time is read as missing (NaN in all its one-hot dims) and
 *   counted in `unknown`, so a caller can report it.
 *
 * ```ts
 * const pp = fitPreprocessing(train, { scaling: 'zscore' });
 * const { data, n, d, unknown } = pp.transform(test);   // data: [n, d]
 * pp.inverse(codebookRow);                              // [{ name: 'age', value: 41.2, … }, { name: 'color', value: 'red', share: 0.8, … }]
 * const again = Preprocessing.fromJSON(pp.toJSON());
 * ```
 */
export class Preprocessing {
  /** Transformed dims: 1 per numeric or boolean column, one per category of a categorical column. */
  readonly dims: number;
  /** Name of each transformed dim, length `dims`: the column name, or `column=category` for one-hot dims. */
  readonly featureNames: readonly string[];
  /** The feature columns, in order, with their types. */
  readonly columns: ReadonlyArray<{ name: string; type: PreprocessingColumnJson['type'] }>;
  readonly scaling: Scaling;
  private readonly json: PreprocessingJson;

  private constructor(json: PreprocessingJson) {
    this.json = json;
    this.scaling = json.scaling;
    this.columns = json.columns.map((c) => ({ name: c.name, type: c.type }));
    this.featureNames = json.columns.flatMap((c) => (c.type === 'categorical' ? c.categories.map((k) => `${c.name}=${k}`) : [c.name]));
    this.dims = this.featureNames.length;
  }

  /** The missing-value markers of the training data. */
  get missingValues(): readonly string[] {
    return this.json.missingValues;
  }

  /** The columns of the training file that were not features (label, target, ignored). */
  get excluded(): readonly string[] {
    return this.json.excluded;
  }

  /** The training file's label and target columns (empty for a pipeline saved without roles). */
  get roles(): Readonly<PreprocessingRoles> {
    return this.json.roles ?? {};
  }

  /**
   * Transforms the feature columns of `table` into [n, d] float32 features.
   * @param table - a table with (at least) the pipeline's feature columns, by name
   * @returns `data` of shape [n, d] (NaN where missing), the missing-cell count and unknown categories
   * @throws SomError `ERR_SHAPE_MISMATCH` (a column missing, or a feature column the model does not
   *   know), `ERR_PARSE` (a cell that does not fit its column's type, e.g. text in a numeric column)
   */
  transform(table: Table): TransformedTable {
    const cols = this.json.columns;
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    const known = new Set(cols.map((c) => c.name));
    const excluded = new Set(this.json.excluded);
    const expected = `${cols.length} feature${cols.length === 1 ? '' : 's'} (${cols.length <= 20 ? cols.map((c) => c.name).join(', ') : `${cols.slice(0, 20).map((c) => c.name).join(', ')}, …`})`;
    const features = table.columns.filter((c) => c.role === 'feature' && !excluded.has(c.name));
    const extra = features.filter((c) => !known.has(c.name));
    if (extra.length > 0) {
      const names = extra.slice(0, 20).map((c) => JSON.stringify(c.name)).join(', ');
      throw new SomError(
        'ERR_SHAPE_MISMATCH',
        `The model expects ${expected} but the data has ${features.length} feature columns: ${names} ${extra.length === 1 ? 'is' : 'are'} not in the model. Pass the columns of the training data, or exclude the others (option ignore, --ignore).`,
        { details: { expected: cols.map((c) => c.name), extra: extra.map((c) => c.name) } },
      );
    }
    for (const c of cols) {
      const col = byName.get(c.name);
      if (col === undefined || col.role !== 'feature') {
        throw new SomError(
          'ERR_SHAPE_MISMATCH',
          `The model expects ${expected}; column ${JSON.stringify(c.name)} ${col === undefined ? 'is not in the data' : `is given the role ${col.role}`}. Pass the columns of the training data.`,
          { details: { expected: cols.map((k) => k.name), column: c.name } },
        );
      }
    }

    const n = table.n;
    const d = this.dims;
    const data = new Float32Array(n * d);
    const unknown: Record<string, number> = {};
    const isMissing = missingMatcher(table.missingValues);
    let missingCells = 0;
    let off = 0;
    for (const c of cols) {
      const col = byName.get(c.name)!;
      if (c.type === 'categorical') {
        const index = new Map(c.categories.map((k, i) => [k, i]));
        const code = categoryCodes(col, index, isMissing);
        let unseen = 0;
        for (let i = 0; i < n; i++) {
          const k = code[i]!;
          const row = i * d + off;
          if (k < 0) {
            if (k === -2) unseen++;
            missingCells++;
            for (let j = 0; j < c.categories.length; j++) data[row + j] = NaN;
          } else {
            data[row + k] = c.weight;
          }
        }
        if (unseen > 0) unknown[c.name] = unseen;
        off += c.categories.length;
        continue;
      }
      const values = c.type === 'numeric' ? numericValues(col, table, isMissing) : booleanValues(col, table, c.values, isMissing);
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (Number.isNaN(v)) missingCells++;
        data[i * d + off] = (v - c.center) / c.scale;
      }
      off += 1;
    }
    return { data, n, d, missingCells, unknown };
  }

  /**
   * Maps transformed vectors (e.g. codebook rows) back to original units, column by column:
   * numeric → value (`text`: rounded to an integer when every training value was one, else 7
   * significant digits); boolean → the more likely value and its share (the unscaled component,
   * clamped to [0, 1]); categorical → the most likely category and its share, where the shares are
   * the category's one-hot components divided by the weight, clamped at 0 and normalised to sum 1
   * (no softmax: a codebook component is already an average of 0/w indicators). When every
   * component is ≤ 0, the shares are uniform and the most frequent training category is taken.
   *
   * @param x - one vector of length d, or a matrix `{ data, shape: [u, d] }`
   * @returns one cell per feature column (for a matrix, one such row per vector)
   * @throws SomError `ERR_SHAPE_MISMATCH` when the length is not d
   */
  inverse(x: ArrayLike<number>): InverseCell[];
  inverse(x: { data: ArrayLike<number>; shape: readonly [number, number] }): InverseCell[][];
  inverse(x: ArrayLike<number> | { data: ArrayLike<number>; shape: readonly [number, number] }): InverseCell[] | InverseCell[][] {
    const d = this.dims;
    if ('shape' in x) {
      const [u, w] = x.shape;
      if (w !== d || x.data.length !== u * w) {
        throw new SomError('ERR_SHAPE_MISMATCH', `Expected a [u, ${d}] matrix (the pipeline's dims), got shape [${x.shape.join(', ')}] with ${x.data.length} values.`);
      }
      const rows: InverseCell[][] = [];
      for (let r = 0; r < u; r++) rows.push(this.inverseRow(x.data, r * d));
      return rows;
    }
    const v = x as ArrayLike<number>;
    if (v.length !== d) throw new SomError('ERR_SHAPE_MISMATCH', `Expected a vector of length ${d} (the pipeline's dims), got length ${v.length}.`);
    return this.inverseRow(v, 0);
  }

  private inverseRow(x: ArrayLike<number>, at: number): InverseCell[] {
    const out: InverseCell[] = [];
    let off = at;
    for (const c of this.json.columns) {
      if (c.type === 'numeric') {
        const value = x[off++]! * c.scale + c.center;
        out.push({ name: c.name, type: 'numeric', value, text: c.integer ? String(Math.round(value)) : String(Number(value.toPrecision(7))) });
      } else if (c.type === 'boolean') {
        const p = Math.min(1, Math.max(0, x[off++]! * c.scale + c.center));
        const value = p >= 0.5;
        out.push({ name: c.name, type: 'boolean', value, share: value ? p : 1 - p, text: c.values[value ? 1 : 0] });
      } else {
        const k = c.categories.length;
        const raw = Array.from({ length: k }, (_, j) => Math.max(0, x[off + j]! / c.weight));
        off += k;
        const sum = raw.reduce((a, b) => a + b, 0);
        const shares = sum > 0 ? raw.map((r) => r / sum) : raw.map(() => 1 / k);
        let best = 0;
        for (let j = 1; j < k; j++) {
          const better = sum > 0 ? shares[j]! > shares[best]! : c.counts[j]! > c.counts[best]!;
          if (better) best = j;
        }
        out.push({ name: c.name, type: 'categorical', value: c.categories[best]!, share: shares[best]!, shares, text: c.categories[best]! });
      }
    }
    return out;
  }

  /** The pipeline as JSON, for `SomOptions.preprocessing` (the model file) or storage of its own. */
  toJSON(): PreprocessingJson {
    return JSON.parse(JSON.stringify(this.json)) as PreprocessingJson;
  }

  /**
   * Reads a pipeline saved by {@link Preprocessing.toJSON}, checking every field it knows. `roles`
   * is optional (older pipelines lack it); other top-level fields are ignored and not kept, so a
   * tool may store its own data beside the pipeline in the same object.
   * @throws SomError `ERR_MODEL_FORMAT` naming the first bad field
   */
  static fromJSON(json: unknown): Preprocessing {
    return new Preprocessing(checkJson(typeof json === 'string' ? parseText(json) : json));
  }
}

/** Per row: the pipeline's category index, −1 when missing, −2 when a category it does not know. */
function categoryCodes(col: TableColumn, index: Map<string, number>, isMissing: (c: string) => boolean): Int32Array {
  const n = col.values.length;
  const code = new Int32Array(n);
  if (col.type === 'categorical' && col.categories !== undefined) {
    const map = col.categories.map((k) => index.get(k) ?? -2);
    for (let i = 0; i < n; i++) {
      const v = col.values[i]!;
      code[i] = Number.isNaN(v) ? -1 : map[v]!;
    }
    return code;
  }
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(col.values[i]!)) {
      code[i] = -1;
      continue;
    }
    const t = cellText(col, i);
    code[i] = isMissing(t) ? -1 : (index.get(t) ?? -2);
  }
  return code;
}

function cellText(col: TableColumn, i: number): string {
  return col.text?.[i] ?? String(col.values[i]);
}

function numericValues(col: TableColumn, table: Table, isMissing: (c: string) => boolean): Float64Array {
  if (col.type === 'numeric' || col.text === undefined) return col.values;
  return Float64Array.from(col.values, (v, i) => {
    if (Number.isNaN(v)) return NaN;
    const t = cellText(col, i);
    if (isMissing(t)) return NaN;
    if (!NUMBER.test(t)) {
      throw new SomError('ERR_PARSE', `Line ${table.lines[i]}, column ${JSON.stringify(col.name)}: expected a number (the column is numeric in the model), got ${JSON.stringify(t)}.`, {
        details: { line: table.lines[i], column: col.name, value: t },
      });
    }
    return Number(t);
  });
}

function booleanValues(col: TableColumn, table: Table, words: [string, string], isMissing: (c: string) => boolean): Float64Array {
  const pair = BOOLEAN_PAIRS.findIndex((_, p) => booleanValue(words[0], p) === 0 && booleanValue(words[1], p) === 1);
  if (col.text === undefined) return col.values;
  return Float64Array.from(col.values, (v, i) => {
    if (Number.isNaN(v)) return NaN;
    const t = cellText(col, i);
    if (isMissing(t)) return NaN;
    const b = booleanValue(t, pair < 0 ? undefined : pair);
    if (b === undefined) {
      throw new SomError('ERR_PARSE', `Line ${table.lines[i]}, column ${JSON.stringify(col.name)}: expected ${JSON.stringify(words[0])} or ${JSON.stringify(words[1])} (the column is boolean in the model), got ${JSON.stringify(t)}.`, {
        details: { line: table.lines[i], column: col.name, value: t },
      });
    }
    return b;
  });
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new SomError('ERR_MODEL_FORMAT', `Expected preprocessing JSON, got text that does not parse: ${(e as Error).message}.`, { cause: e });
  }
}

function checkJson(json: unknown): PreprocessingJson {
  const bad = (path: string, expected: string, got: unknown): never => {
    throw new SomError('ERR_MODEL_FORMAT', `preprocessing${path}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}. The file was not written by somkit, or was edited; retrain to write it again.`, {
      details: { field: `preprocessing${path}` },
    });
  };
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const strings = (v: unknown, path: string): string[] => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : bad(path, 'an array of strings', v));
  const finite = (v: unknown, path: string): number => (typeof v === 'number' && Number.isFinite(v) ? v : bad(path, 'a finite number', v));
  const positive = (v: unknown, path: string): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : bad(path, 'a finite number > 0', v));
  if (!isObj(json)) return bad('', 'an object', json);
  if (json.format !== 'somkit.preprocessing') bad('.format', '"somkit.preprocessing"', json.format);
  if (json.version !== 1) bad('.version', '1', json.version);
  if (!SCALINGS.includes(json.scaling as Scaling)) bad('.scaling', SCALINGS.join(' | '), json.scaling);
  const missingValues = strings(json.missingValues, '.missingValues');
  const excluded = strings(json.excluded, '.excluded');
  if (!Array.isArray(json.columns) || json.columns.length === 0) bad('.columns', 'a non-empty array', json.columns);
  const names = new Set<string>();
  const columns = (json.columns as unknown[]).map((c, i): PreprocessingColumnJson => {
    const p = `.columns[${i}]`;
    if (!isObj(c)) return bad(p, 'an object', c);
    if (typeof c.name !== 'string') bad(`${p}.name`, 'a string', c.name);
    const name = c.name as string;
    if (names.has(name)) bad(`${p}.name`, 'a name not used by another column', name);
    names.add(name);
    if (c.type === 'numeric') {
      if (typeof c.integer !== 'boolean') bad(`${p}.integer`, 'a boolean', c.integer);
      return { name, type: 'numeric', center: finite(c.center, `${p}.center`), scale: positive(c.scale, `${p}.scale`), integer: c.integer as boolean };
    }
    if (c.type === 'boolean') {
      const values = strings(c.values, `${p}.values`);
      if (values.length !== 2) bad(`${p}.values`, 'two strings [false, true]', values);
      return { name, type: 'boolean', center: finite(c.center, `${p}.center`), scale: positive(c.scale, `${p}.scale`), values: [values[0]!, values[1]!] };
    }
    if (c.type === 'categorical') {
      const categories = strings(c.categories, `${p}.categories`);
      if (categories.length === 0 || new Set(categories).size !== categories.length) bad(`${p}.categories`, 'a non-empty array of distinct strings', categories);
      const counts = Array.isArray(c.counts) && c.counts.length === categories.length && c.counts.every((k) => Number.isInteger(k) && (k as number) >= 0) ? (c.counts as number[]) : bad(`${p}.counts`, `${categories.length} integer counts ≥ 0`, c.counts);
      return { name, type: 'categorical', categories, counts, weight: positive(c.weight, `${p}.weight`) };
    }
    return bad(`${p}.type`, '"numeric" | "boolean" | "categorical"', c.type);
  });
  let roles: PreprocessingRoles | undefined;
  if (json.roles !== undefined) {
    if (!isObj(json.roles)) bad('.roles', 'an object { label?, target? }', json.roles);
    const r = json.roles as Record<string, unknown>;
    roles = {};
    for (const key of ['label', 'target'] as const) {
      const v = r[key];
      if (v === undefined) continue;
      if (typeof v !== 'string' || !excluded.includes(v)) bad(`.roles.${key}`, 'the name of an excluded column', v);
      roles[key] = v as string;
    }
  }
  return { format: 'somkit.preprocessing', version: 1, scaling: json.scaling as Scaling, missingValues, columns, excluded, ...(roles !== undefined ? { roles } : {}) };
}
