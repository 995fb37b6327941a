import { SomError } from '@somkit/plugin-api';
import { csvRecords, type CsvRecord } from './csvRecords.js';

/** A CSV text split into column names and data records of equal width: see {@link splitCsv}. */
export interface CsvSplit {
  /** Column names: the header fields, or `'0'`, `'1'`, … with `header: false`. */
  columns: string[];
  /** Data records, each with `columns.length` fields. */
  rows: CsvRecord[];
}

/**
 * Splits CSV text into a header and data records of the header's width, with the checks that
 * `parseCsv` and `parseTable` share: a one-character delimiter, a non-empty file, a header (or
 * first row) that is not blank, at least one data row, every row as wide as the header. Empty
 * lines at the end of the text are dropped; elsewhere they are rows (and fail as such).
 *
 * @throws SomError `ERR_INVALID_INPUT` (bad delimiter), `ERR_EMPTY_INPUT`, `ERR_PARSE` (blank
 *   first line, bad quoting), `ERR_SHAPE_MISMATCH` (a row of another width).
 */
export function splitCsv(text: string, opts: { delimiter?: string | undefined; header?: boolean | undefined }): CsvSplit {
  const delimiter = opts.delimiter ?? ',';
  const hasHeader = opts.header ?? true;
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new SomError('ERR_INVALID_INPUT', `Expected delimiter to be one character other than '"' or a line break, got ${JSON.stringify(delimiter)}.`);
  }
  const records = csvRecords(text, delimiter);
  // Ignore empty lines at the end of the file.
  while (records.length > 0 && records[records.length - 1]?.blank === true) records.pop();
  const first = records[0];
  if (first === undefined) {
    throw new SomError('ERR_EMPTY_INPUT', 'Expected CSV text with a header row and at least one data row, got an empty file.');
  }
  if (first.blank) {
    throw new SomError('ERR_PARSE', `Line ${first.line}: expected ${hasHeader ? 'the header row' : 'a data row'}, got an empty line. Remove the empty lines at the top of the file.`, {
      details: { line: first.line },
    });
  }
  const width = first.fields.length;
  const columns = hasHeader ? first.fields : first.fields.map((_, j) => String(j));
  const rows = hasHeader ? records.slice(1) : records;
  if (rows.length === 0) {
    throw new SomError('ERR_EMPTY_INPUT', `Expected at least one data row after the header (line ${first.line}), got none.`, {
      details: { header: columns },
    });
  }
  for (const rec of rows) {
    if (rec.fields.length !== width) {
      const { line } = rec;
      throw new SomError(
        'ERR_SHAPE_MISMATCH',
        `Line ${line}: expected ${width} fields (as in the ${hasHeader ? 'header' : 'first row'}), got ${rec.fields.length}.${rec.blank ? ' The line is empty: remove it.' : ' Check for missing or extra delimiters, and quote fields that contain one.'}`,
        { details: { line, expected: width, got: rec.fields.length } },
      );
    }
  }
  return { columns, rows };
}
