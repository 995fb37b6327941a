import { resolve } from 'node:path';
import { fitPreprocessing, Preprocessing, tableFromMatrix, type Scaling, type Table } from '@somkit/datasets';
import { readDataFile, readTable } from '@somkit/datasets/node';
import { SomError } from '@somkit/plugin-api';
import { CliError } from './CliError.js';
import { refuseContinuousLabels } from './continuousLabels.js';
import type { Io } from './Io.js';

/** The table flags shared by `inspect`, `train`, `eval`, `report` and `impute`. */
export const TABLE_FLAGS = {
  'label-column': { type: 'string' },
  target: { type: 'string' },
  ignore: { type: 'string' },
  categorical: { type: 'string' },
  'missing-values': { type: 'string' },
} as const;

/** Values of {@link TABLE_FLAGS}. */
export interface TableFlagValues {
  'label-column'?: string | undefined;
  target?: string | undefined;
  ignore?: string | undefined;
  categorical?: string | undefined;
  'missing-values'?: string | undefined;
}

/** Help lines of the table flags. */
export const TABLE_FLAGS_HELP = `  --label-column NAME    CSV column holding the classes (excluded from the features)
  --target NAME          CSV column holding a numeric regression target (excluded from the features)
  --ignore A,B           CSV columns to exclude
  --categorical A,B      CSV columns to one-hot encode as categorical features (text columns need
                         it, or --label-column / --ignore; integer-coded ones are numeric without it)
  --missing-values LIST  comma-separated cells that mean "missing", case-insensitive; default
                         NA,NaN,null,? — an empty cell is always missing`;

/** A comma-separated flag as a list of names (trimmed; empty names refused). */
export function listFlag(command: string, name: string, v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new CliError(`somkit ${command}: --${name} expects comma-separated column names, got '${v}'.`);
  return items;
}

/** The markers of `--missing-values` (plus the empty cell), or undefined for the default. */
function missingValues(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return ['', ...v.split(',').map((s) => s.trim()).filter((s) => s !== '')];
}

function isCsv(path: string): boolean {
  return path.toLowerCase().endsWith('.csv');
}

/** Refuses the CSV-only table flags for a `.npy` file. */
function csvOnly(path: string, v: TableFlagValues, also: string[] = []): void {
  const given = [...(['target', 'ignore', 'categorical', 'missing-values'] as const).filter((k) => v[k] !== undefined).map((k) => `--${k}`), ...also];
  if (given.length > 0) {
    throw new SomError('ERR_INVALID_INPUT', `${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} to .csv files only; ${JSON.stringify(path)} is a .npy file, which holds features only. Drop the flag, or use a .csv file.`);
  }
}

/**
 * Reads `--data` as a {@link Table} with the roles of the flags: a `.csv` through `readTable`, a
 * `.npy` as numeric columns `'0'`, `'1'`, … (NaN cells missing).
 */
export async function readTableFile(command: string, io: Io, path: string, v: TableFlagValues, extra: { ignoreIfPresent?: readonly string[]; missingValues?: readonly string[] } = {}): Promise<Table> {
  const full = resolve(io.cwd, path);
  if (!isCsv(path)) {
    const file = await readDataFile(full, v['label-column'] === undefined ? {} : { labelColumn: v['label-column'] });
    csvOnly(path, v);
    return tableFromMatrix(file.data, file.n, file.d, file.featureNames);
  }
  const missing = missingValues(v['missing-values']) ?? extra.missingValues;
  const ignore = listFlag(command, 'ignore', v.ignore);
  const categorical = listFlag(command, 'categorical', v.categorical);
  const table = await readTable(full, {
    labelColumn: v['label-column'],
    target: v.target,
    ...(ignore ? { ignore } : {}),
    ...(categorical ? { categorical } : {}),
    ...(missing ? { missingValues: missing } : {}),
    ...(extra.ignoreIfPresent ? { ignoreIfPresent: extra.ignoreIfPresent } : {}),
  });
  refuseContinuousLabels(command, v['label-column'], table.labelNames);
  return table;
}

/** Features ready for a SOM, with what the JSON output reports about them. */
export interface Features {
  /** Shape [n, d], NaN where missing. */
  data: Float32Array;
  n: number;
  d: number;
  featureNames?: readonly string[] | undefined;
  labels?: Int32Array | undefined;
  labelNames?: readonly string[] | undefined;
  /** Missing cells over the feature columns. */
  missingCells: number;
  /** Unknown categories per column (read as missing). */
  unknown: Record<string, number>;
  /** The feature columns: name, type and missing count. */
  columns: Array<{ name: string; type: 'numeric' | 'categorical' | 'boolean'; missing: number }>;
  /** The pipeline the features went through (absent for `.npy` data without `--scaling`). */
  preprocessing?: Preprocessing | undefined;
  /** The table read (absent for data read without a schema). */
  table?: Table | undefined;
  /** Regression target per row [n], NaN where missing, when a target column was read. */
  target?: Float64Array | undefined;
  /** The label and target columns read (names), when any. */
  roles?: { label?: string; target?: string } | undefined;
}

function countNaN(data: Float32Array): number {
  let k = 0;
  for (const v of data) if (Number.isNaN(v)) k++;
  return k;
}

/**
 * The training features of `--data`: a `.csv` is read with a schema, a pipeline is fitted on it
 * (`scaling`, default zscore) and applied; a `.npy` is used as is (`scaling` undefined → none, no
 * pipeline) or through a pipeline fitted with the given scaling.
 * @throws SomError `ERR_PARSE` for a text column that has no role (see the message), plus the
 *   errors of reading and fitting
 */
export async function trainingFeatures(command: string, io: Io, path: string, v: TableFlagValues, scaling: Scaling | undefined): Promise<Features> {
  if (!isCsv(path) && scaling === undefined) {
    const file = await readDataFile(resolve(io.cwd, path), v['label-column'] === undefined ? {} : { labelColumn: v['label-column'] });
    csvOnly(path, v);
    const missingCells = countNaN(file.data);
    const columns = Array.from({ length: file.d }, (_, j) => {
      let missing = 0;
      for (let i = 0; i < file.n; i++) if (Number.isNaN(file.data[i * file.d + j]!)) missing++;
      return { name: String(j), type: 'numeric' as const, missing };
    });
    return { data: file.data, n: file.n, d: file.d, featureNames: file.featureNames, missingCells, unknown: {}, columns };
  }
  const table = await readTableFile(command, io, path, v);
  const declared = new Set(listFlag(command, 'categorical', v.categorical) ?? []);
  const text = table.columns.filter((c) => c.role === 'feature' && c.type === 'categorical' && !declared.has(c.name));
  if (text.length > 0) {
    const names = text.map((c) => c.name);
    const first = text[0]!;
    const examples = (first.categories ?? []).slice(0, 3).map((k) => JSON.stringify(k)).join(', ');
    throw new SomError(
      'ERR_PARSE',
      `${text.length === 1 ? 'Column' : 'Columns'} ${names.map((s) => JSON.stringify(s)).join(', ')} ${text.length === 1 ? 'holds' : 'hold'} text, not numbers (${JSON.stringify(first.name)}: ${first.categories?.length ?? 0} distinct values, e.g. ${examples}). Say what ${text.length === 1 ? 'it is' : 'they are'}: --categorical ${names.join(',')} to one-hot encode as features, --label-column NAME for the classes, or --ignore ${names.join(',')}.`,
      { details: { columns: names } },
    );
  }
  const pp = fitPreprocessing(table, { scaling: scaling ?? 'zscore' });
  return fromTable(table, pp);
}

function fromTable(table: Table, pp: Preprocessing): Features {
  const t = pp.transform(table);
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const label = table.columns.find((c) => c.role === 'label')?.name;
  const target = table.columns.find((c) => c.role === 'target')?.name;
  return {
    data: t.data, n: t.n, d: t.d, featureNames: pp.featureNames,
    labels: table.labels, labelNames: table.labelNames,
    missingCells: t.missingCells, unknown: t.unknown,
    columns: pp.columns.map((c) => ({ name: c.name, type: c.type, missing: byName.get(c.name)?.missing ?? 0 })),
    preprocessing: pp, table,
    target: table.target,
    roles: {
      ...(label !== undefined ? { label } : {}),
      ...(target !== undefined ? { target } : {}),
    },
  };
}

/**
 * The features of `--data` for a trained model: through the model's saved pipeline when it has
 * one (columns by name; the training file's label, target and ignored columns may be present),
 * else read as before (`--label-column` only) and checked against the model's width. With
 * `roles`, the label and target columns the model was trained with are read as such when the
 * file has them (a flag naming another column wins).
 */
export async function modelFeatures(command: string, io: Io, path: string, v: TableFlagValues, som: { dims: number; preprocessing?: unknown }, opts: { roles?: boolean } = {}): Promise<Features> {
  if (som.preprocessing === undefined || som.preprocessing === null) {
    if (isCsv(path) && (v.ignore !== undefined || v['missing-values'] !== undefined)) return numericFeatures(command, io, path, v, som);
    const file = await readDataFile(resolve(io.cwd, path), v['label-column'] === undefined ? {} : { labelColumn: v['label-column'] });
    if (!isCsv(path)) csvOnly(path, v);
    refuseContinuousLabels(command, v['label-column'], file.labelNames);
    if (file.d !== som.dims) {
      throw new SomError('ERR_SHAPE_MISMATCH', `The model expects ${som.dims} features per sample but ${path} has ${file.d}. Pass the same columns as in training (use --label-column for the label).`);
    }
    return { data: file.data, n: file.n, d: file.d, featureNames: file.featureNames, labels: file.labels, labelNames: file.labelNames, missingCells: countNaN(file.data), unknown: {}, columns: [] };
  }
  const pp = Preprocessing.fromJSON(som.preprocessing);
  if (pp.dims !== som.dims) {
    throw new SomError('ERR_MODEL_FORMAT', `The model's preprocessing gives ${pp.dims} features but its codebook has ${som.dims}; the file was edited or assembled from two models. Retrain to write it again.`);
  }
  const extra = { ignoreIfPresent: pp.excluded, missingValues: pp.missingValues };
  let table = await readTableFile(command, io, path, v, extra);
  if (opts.roles === true) {
    // The model's own label and target, when the file has them and no flag names others.
    const present = new Set(table.columns.map((c) => c.name));
    const label = v['label-column'] === undefined && pp.roles.label !== undefined && present.has(pp.roles.label) ? pp.roles.label : undefined;
    const target = v.target === undefined && pp.roles.target !== undefined && present.has(pp.roles.target) ? pp.roles.target : undefined;
    if (label !== undefined || target !== undefined) {
      const roles = { ...v, ...(label !== undefined ? { 'label-column': label } : {}), ...(target !== undefined ? { target } : {}) };
      table = await readTableFile(command, io, path, roles, { ...extra, ignoreIfPresent: pp.excluded.filter((c) => c !== label && c !== target) });
    }
  }
  return fromTable(table, pp);
}

/**
 * The features of `--data` for a model without a saved pipeline, read with a schema: the file's
 * feature columns must be numeric (or boolean) and are used as they are (NaN where missing).
 * @throws SomError `ERR_INVALID_INPUT` (a text feature column), `ERR_SHAPE_MISMATCH` (another width)
 */
export async function numericFeatures(command: string, io: Io, path: string, v: TableFlagValues, som: { dims: number }): Promise<Features> {
  const table = await readTableFile(command, io, path, v);
  const text = table.columns.filter((c) => c.role === 'feature' && c.type === 'categorical');
  if (text.length > 0) {
    throw new SomError('ERR_INVALID_INPUT', `The model has no saved preprocessing, so its features are numeric columns; ${text.map((c) => JSON.stringify(c.name)).join(', ')} ${text.length === 1 ? 'holds' : 'hold'} text. Exclude ${text.length === 1 ? 'it' : 'them'} with --ignore, or retrain with somkit train on this .csv.`);
  }
  const pp = fitPreprocessing(table, { scaling: 'none' });
  if (pp.dims !== som.dims) {
    throw new SomError('ERR_SHAPE_MISMATCH', `The model expects ${som.dims} features per sample but ${path} has ${pp.dims}. Pass the same columns as in training (use --label-column or --ignore for the others).`);
  }
  return fromTable(table, pp);
}

/** One stderr note naming the columns with categories the model has not seen (read as missing). */
export function reportUnknown(command: string, io: Io, unknown: Record<string, number>): void {
  const entries = Object.entries(unknown);
  if (entries.length === 0) return;
  io.err(`somkit ${command}: note: categories not seen in training, read as missing: ${entries.map(([c, k]) => `${c} (${k} cell${k === 1 ? '' : 's'})`).join(', ')}\n`);
}
