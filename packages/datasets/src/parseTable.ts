import { SomError } from '@somkit/plugin-api';
import type { ColumnRole, ColumnType, Table, TableColumn } from './Table.js';
import { splitCsv } from './splitCsv.js';
import { labelIds } from './labelIds.js';
import { BOOLEAN_PAIRS, booleanValue, DEFAULT_MISSING_VALUES, missingMatcher, NON_FINITE, NUMBER } from './cellGrammar.js';

/** Options of {@link parseTable}. Column names are header names (with `header: false`, `'0'`, `'1'`, …). */
export interface ParseTableOptions {
  /** Column holding the class of each row (role `label`); see `labelIds` for how ids are given. */
  labelColumn?: string | undefined;
  /** Column holding a numeric regression target (role `target`): excluded from the features. */
  target?: string | undefined;
  /** Columns to exclude (role `ignore`). */
  ignore?: readonly string[] | undefined;
  /**
   * Columns excluded when present, and no error when absent: e.g. the label, target and ignored
   * columns a saved `Preprocessing` was fitted without.
   */
  ignoreIfPresent?: readonly string[] | undefined;
  /** Columns read as categorical whatever they hold (integer-coded categories such as zip codes). */
  categorical?: readonly string[] | undefined;
  /**
   * Cells that are missing values, compared case-insensitively with the trimmed cell. Default
   * {@link DEFAULT_MISSING_VALUES}: `''`, `NA`, `NaN`, `null`, `?`.
   */
  missingValues?: readonly string[] | undefined;
  /** Field separator, one character. Default `','`. */
  delimiter?: string | undefined;
  /** Whether the first record names the columns. Default `true`. */
  header?: boolean | undefined;
}

/** At most this many column names are listed in an error message. */
const LIST_CAP = 20;

/** The header as a quoted list for messages, capped at {@link LIST_CAP} names. */
function headerList(columns: readonly string[]): string {
  const shown = columns.slice(0, LIST_CAP).map((c) => JSON.stringify(c)).join(', ');
  return columns.length > LIST_CAP ? `${shown}, … (${columns.length - LIST_CAP} more)` : shown;
}

/**
 * Parses delimited text into a {@link Table}: each column's type is inferred from its observed
 * cells (`numeric`, `boolean`, `categorical`; see {@link ColumnType}), missing cells are counted,
 * and the roles of the options are applied. Unlike `parseCsv`, text columns and missing values are
 * data, not errors; nothing is scaled or encoded yet (that is `fitPreprocessing`).
 *
 * CSV rules as in `parseCsv` (header row, trimming, `"…"` quoting, LF/CRLF, trailing empty lines).
 * Column names must be unique. A target cell that is missing is NaN in `target`; a label cell that
 * is missing is an error (every row needs a class).
 *
 * ```ts
 * const t = parseTable('age,color,price,id\n31,red,9.5,a1\nNA,blue,12,a2\n', { target: 'price', ignore: ['id'] });
 * // t.columns.map((c) => [c.name, c.type, c.role, c.missing])
 * // → [['age','numeric','feature',1], ['color','categorical','feature',0], ['price','numeric','target',0], ['id','categorical','ignore',0]]
 * ```
 * @param text - the file's text
 * @returns the table: `n` rows, every column with `values` of shape [n]
 * @throws SomError `ERR_INVALID_INPUT` (a role names an unknown column — the message lists the
 *   header —, a column in two roles, duplicate column names, bad options), `ERR_PARSE` (a
 *   non-numeric target, a missing label, bad quoting), `ERR_NON_FINITE` (`inf` in a numeric
 *   column or target), `ERR_EMPTY_INPUT`, `ERR_SHAPE_MISMATCH` (a row of another width).
 */
export function parseTable(text: string, opts: ParseTableOptions = {}): Table {
  const given: unknown = opts.missingValues ?? DEFAULT_MISSING_VALUES;
  if (!Array.isArray(given) || given.some((m) => typeof m !== 'string')) {
    throw new SomError('ERR_INVALID_INPUT', `Expected missingValues to be an array of strings, got ${JSON.stringify(opts.missingValues)}.`);
  }
  const missingValues = [...(given as string[])];
  const isMissing = missingMatcher(missingValues);
  const { columns: names, rows } = splitCsv(text, opts);
  const n = rows.length;

  const seen = new Map<string, number>();
  names.forEach((c, j) => {
    if (seen.has(c)) {
      throw new SomError('ERR_INVALID_INPUT', `Column name ${JSON.stringify(c)} appears twice (fields ${(seen.get(c) ?? 0) + 1} and ${j + 1}); expected unique names. Rename one in the header.`, {
        details: { column: c },
      });
    }
    seen.set(c, j);
  });

  // Roles: every named column must exist, and take one role only.
  const roles: ColumnRole[] = names.map(() => 'feature');
  const roleOf = new Map<string, string>();
  const assign = (name: string, role: ColumnRole, option: string, strict: boolean): void => {
    const j = seen.get(name);
    if (j === undefined) {
      if (!strict) return;
      throw new SomError('ERR_INVALID_INPUT', `${option} names column ${JSON.stringify(name)}, which is not in the header; the columns are: ${headerList(names)}.`, {
        details: { option, column: name, columns: names },
      });
    }
    const prev = roleOf.get(name);
    if (prev !== undefined && prev !== option) {
      if (!strict) return;
      throw new SomError('ERR_INVALID_INPUT', `Column ${JSON.stringify(name)} is named by both ${prev} and ${option}; give each column one role.`, { details: { column: name } });
    }
    roleOf.set(name, option);
    roles[j] = role;
  };
  if (opts.labelColumn !== undefined) assign(opts.labelColumn, 'label', 'labelColumn', true);
  if (opts.target !== undefined) assign(opts.target, 'target', 'target', true);
  for (const c of opts.ignore ?? []) assign(c, 'ignore', 'ignore', true);
  const forced = new Set<string>();
  for (const c of opts.categorical ?? []) {
    if (!seen.has(c)) {
      throw new SomError('ERR_INVALID_INPUT', `categorical names column ${JSON.stringify(c)}, which is not in the header; the columns are: ${headerList(names)}.`, {
        details: { option: 'categorical', column: c, columns: names },
      });
    }
    forced.add(c);
  }
  for (const c of opts.ignoreIfPresent ?? []) if (!roleOf.has(c)) assign(c, 'ignore', 'ignoreIfPresent', false);

  const lines = Int32Array.from(rows, (r) => r.line);
  const columns: TableColumn[] = [];
  let labels: ReturnType<typeof labelIds> | undefined;
  let target: Float64Array | undefined;

  for (let j = 0; j < names.length; j++) {
    const name = names[j]!;
    const role = roles[j]!;
    const cells = rows.map((r) => r.fields[j] ?? '');
    const miss = cells.map((c) => isMissing(c));
    const missing = miss.reduce((a, m) => a + (m ? 1 : 0), 0);

    if (role === 'label') {
      const r = miss.indexOf(true);
      if (r >= 0) {
        throw new SomError('ERR_PARSE', `Line ${lines[r]}, label column ${JSON.stringify(name)}: missing label ${JSON.stringify(cells[r])}. Every row needs a label: drop the row, or change missingValues if it is a class name.`, {
          details: { line: lines[r], column: name, value: cells[r] },
        });
      }
      labels = labelIds(cells);
      const col = categoricalColumn(name, role, cells, miss, 0);
      columns.push(col);
      continue;
    }
    const type: ColumnType = forced.has(name) ? 'categorical' : inferType(cells, miss);
    if (role === 'target' && type !== 'numeric') {
      const r = cells.findIndex((c, i) => !miss[i] && !NUMBER.test(c));
      if (r >= 0 && NON_FINITE.test(cells[r]!) === false) {
        throw new SomError('ERR_PARSE', `Line ${lines[r]}, target column ${JSON.stringify(name)}: expected a number, got ${JSON.stringify(cells[r])}. A regression target must be numeric; use labelColumn for classes.`, {
          details: { line: lines[r], column: name, value: cells[r] },
        });
      }
    }
    const col = type === 'numeric' || role === 'target'
      ? numericColumn(name, role, cells, miss, missing, lines)
      : type === 'boolean'
        ? booleanColumn(name, role, cells, miss, missing)
        : categoricalColumn(name, role, cells, miss, missing);
    if (role === 'target') target = col.values;
    columns.push(col);
  }

  return {
    n,
    columns,
    lines,
    missingValues,
    ...(labels !== undefined ? { labels: labels.labels } : {}),
    ...(labels?.labelNames !== undefined ? { labelNames: labels.labelNames } : {}),
    ...(target !== undefined ? { target } : {}),
  };
}

/** The type of a column from its observed cells; a column with no observed cell is `numeric`. */
function inferType(cells: readonly string[], miss: readonly boolean[]): ColumnType {
  let numeric = true;
  const pairs = BOOLEAN_PAIRS.map(() => true);
  for (let i = 0; i < cells.length; i++) {
    if (miss[i]) continue;
    const c = cells[i]!;
    if (numeric && !NUMBER.test(c) && !NON_FINITE.test(c)) numeric = false;
    for (let p = 0; p < pairs.length; p++) if (pairs[p] && booleanValue(c, p) === undefined) pairs[p] = false;
  }
  const anyObserved = miss.some((m) => !m);
  if (anyObserved && pairs.some((p) => p)) return 'boolean';
  return numeric ? 'numeric' : 'categorical';
}

function numericColumn(name: string, role: ColumnRole, cells: readonly string[], miss: readonly boolean[], missing: number, lines: Int32Array): TableColumn {
  const values = new Float64Array(cells.length);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < cells.length; i++) {
    if (miss[i]) {
      values[i] = NaN;
      continue;
    }
    const c = cells[i]!;
    const v = NUMBER.test(c) ? Number(c) : NaN;
    if (!Number.isFinite(v)) {
      throw new SomError('ERR_NON_FINITE', `Line ${lines[i]}, column ${JSON.stringify(name)}: expected a finite number, got ${JSON.stringify(c)}. Write missing values as one of the missing-value markers (e.g. NA), or drop the row.`, {
        details: { line: lines[i], column: name, value: c },
      });
    }
    values[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { name, type: 'numeric', role, missing, values, text: cells, ...(min <= max ? { min, max } : {}) };
}

function booleanColumn(name: string, role: ColumnRole, cells: readonly string[], miss: readonly boolean[], missing: number): TableColumn {
  const pair = BOOLEAN_PAIRS.findIndex((_, p) => cells.every((c, i) => miss[i] || booleanValue(c, p) !== undefined));
  const values = new Float64Array(cells.length);
  const spelling: [string | undefined, string | undefined] = [undefined, undefined];
  const counts = [0, 0];
  for (let i = 0; i < cells.length; i++) {
    if (miss[i]) {
      values[i] = NaN;
      continue;
    }
    const v = booleanValue(cells[i]!, pair)!;
    values[i] = v;
    spelling[v] ??= cells[i]!;
    counts[v]!++;
  }
  // A word never seen is spelt in the case of the one that was.
  const words = BOOLEAN_PAIRS[pair]!;
  const seenWord = spelling[0] ?? spelling[1] ?? words[0];
  const styled = (w: string): string => (seenWord === seenWord.toUpperCase() && seenWord !== seenWord.toLowerCase() ? w.toUpperCase() : /^[A-Z]/.test(seenWord) ? w[0]!.toUpperCase() + w.slice(1) : w);
  const categories = [spelling[0] ?? styled(words[0]), spelling[1] ?? styled(words[1])];
  return { name, type: 'boolean', role, missing, values, categories, counts, text: cells };
}

function categoricalColumn(name: string, role: ColumnRole, cells: readonly string[], miss: readonly boolean[], missing: number): TableColumn {
  const ids = new Map<string, number>();
  const categories: string[] = [];
  const counts: number[] = [];
  const values = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    if (miss[i]) {
      values[i] = NaN;
      continue;
    }
    const c = cells[i]!;
    let id = ids.get(c);
    if (id === undefined) {
      id = categories.length;
      ids.set(c, id);
      categories.push(c);
      counts.push(0);
    }
    counts[id]!++;
    values[i] = id;
  }
  return { name, type: 'categorical', role, missing, values, categories, counts, text: cells };
}
