import { quoteInput, SomError } from '@somkit/plugin-api';
import type { ParsedTable } from './ParsedTable.js';
import type { CsvRecord } from './csvRecords.js';
import { splitCsv } from './splitCsv.js';
import { labelIds } from './labelIds.js';
import { NON_FINITE, NUMBER } from './cellGrammar.js';

/** Options of {@link parseCsv}. */
export interface ParseCsvOptions {
  /**
   * Column holding the class label of each row; it is kept out of `data`. Labels that are all
   * canonical integers (`0`, `7`, `-1`) become the ids; otherwise each distinct text as written is
   * a class (`007`, `7` and `+7` are three), numbered in order of first appearance (`labelNames`).
   * With `header: false` the columns are named `'0'`, `'1'`, … (0-based).
   */
  labelColumn?: string | undefined;
  /** Field separator, one character. Default `','`. */
  delimiter?: string | undefined;
  /** Whether the first record names the columns. Default `true`. */
  header?: boolean | undefined;
}

const MISSING_FIX = 'An empty cell is a missing value, which parseCsv does not accept: read the file with parseTable (readTable in @somkit/datasets/node), which keeps missing cells as NaN for a SOM with missing: \'mask\' (somkit train does this).';
const FIX = 'Remove or encode non-numeric columns, or pass --label-column NAME (option labelColumn) for a label column.';

/**
 * Parses delimited text into a numeric [n, d] table, optionally splitting off a label column.
 * Nothing is coerced silently: every non-label cell must be a finite decimal number.
 *
 * Rules: a header row is expected (see `header`); whitespace around fields is trimmed; `"…"`
 * quoting with `""` escapes, LF and CRLF line ends are supported; empty lines at the end of the
 * text are ignored (elsewhere they are rows, and fail as such).
 *
 * ```ts
 * const t = parseCsv('x,y,species\n1,2,setosa\n3,4.5,virginica\n', { labelColumn: 'species' });
 * // t.n === 2, t.d === 2, t.data = [1, 2, 3, 4.5], t.labels = [0, 1], t.labelNames = ['setosa', 'virginica']
 * ```
 * @param text - the file's text
 * @returns the table; `data` has shape [n, d], `labels` shape [n]
 * @throws SomError `ERR_EMPTY_INPUT` (no data rows), `ERR_PARSE` (non-numeric or empty cell, bad
 *   quoting), `ERR_NON_FINITE` (`nan`, `inf`, out of float32 range), `ERR_SHAPE_MISMATCH` (a row
 *   with the wrong number of fields), `ERR_INVALID_INPUT` (unknown `labelColumn`, bad options).
 */
export function parseCsv(text: string, opts: ParseCsvOptions = {}): ParsedTable {
  const hasHeader = opts.header ?? true;
  const labelColumn = opts.labelColumn;
  const { columns, rows } = splitCsv(text, opts);
  const width = columns.length;

  let labelIndex = -1;
  if (labelColumn !== undefined) {
    const hits = columns.flatMap((c, j) => (c === labelColumn ? [j] : []));
    if (hits.length !== 1) {
      const why = hits.length === 0 ? 'is not a column' : `names ${hits.length} columns`;
      throw new SomError(
        'ERR_INVALID_INPUT',
        `Label column ${JSON.stringify(labelColumn)} ${why}; the ${hasHeader ? 'header' : 'columns'} ${width === 1 ? 'is' : 'are'}: ${columns.map((c) => quoteInput(c, undefined, 'json')).join(', ')}.`,
        { details: { labelColumn, columns } },
      );
    }
    labelIndex = hits[0] ?? -1;
    if (width === 1) {
      throw new SomError('ERR_INVALID_INPUT', `Label column ${JSON.stringify(labelColumn)} is the only column; expected at least one numeric feature column besides it.`);
    }
  }

  const d = labelIndex < 0 ? width : width - 1;
  const n = rows.length;
  const featureNames = columns.filter((_, j) => j !== labelIndex);
  const data = new Float32Array(n * d);
  const rawLabels: string[] = [];

  for (let r = 0; r < n; r++) {
    const { fields, line } = rows[r] as CsvRecord;
    let k = r * d;
    for (let j = 0; j < width; j++) {
      const cell = fields[j] ?? '';
      if (j === labelIndex) {
        if (cell === '') {
          throw new SomError('ERR_PARSE', `Line ${line}, label column ${JSON.stringify(labelColumn)}: empty label. Every row needs a label.`, {
            details: { line, column: labelColumn },
          });
        }
        rawLabels.push(cell);
        continue;
      }
      data[k++] = parseCell(cell, line, columns[j] ?? String(j), j);
    }
  }

  const table: ParsedTable = { data, n, d, featureNames };
  if (labelIndex >= 0) Object.assign(table, labelIds(rawLabels));
  return table;
}

function parseCell(cell: string, line: number, column: string, j: number): number {
  const where = `Line ${line}, column ${quoteInput(column, undefined, 'json')} (field ${j + 1})`;
  const details = { line, column, field: j + 1, value: cell };
  const s = cell.trim();
  if (NUMBER.test(s)) {
    const v = Math.fround(Number(s));
    if (!Number.isFinite(v)) {
      throw new SomError('ERR_NON_FINITE', `${where}: ${quoteInput(cell, undefined, 'json')} is outside the float32 range (±3.4e38). Rescale the column.`, { details });
    }
    return v;
  }
  if (NON_FINITE.test(s)) {
    throw new SomError('ERR_NON_FINITE', `${where}: expected a finite number, got ${quoteInput(cell, undefined, 'json')}. Drop or impute rows with missing or infinite values.`, {
      details,
    });
  }
  if (s === '') {
    throw new SomError('ERR_PARSE', `${where}: expected a number, got an empty cell. ${MISSING_FIX}`, { details });
  }
  throw new SomError('ERR_PARSE', `${where}: expected a number, got ${quoteInput(cell, undefined, 'json')}. ${FIX}`, { details });
}
