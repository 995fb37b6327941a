import { SomError } from '@somkit/plugin-api';

/** One record of a CSV file: its fields and the 1-based line it starts on. */
export interface CsvRecord {
  /** 1-based line number of the record's first character, as an editor shows it. */
  readonly line: number;
  /** Field texts: unquoted, `""` unescaped, surrounding whitespace trimmed. */
  readonly fields: string[];
  /** True for a line holding nothing but whitespace. */
  readonly blank: boolean;
}

const QUOTE = 34; // "
const CR = 13;
const LF = 10;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;
}

/**
 * Splits CSV text into records (RFC 4180 plus whitespace trimming): `delimiter`-separated fields,
 * `"…"` quoting (delimiters, line breaks and `""` escapes allowed inside), LF or CRLF line ends.
 * Whitespace around a field, or around the quotes of a quoted field, is dropped; the text inside
 * quotes is kept as is. A leading byte-order mark is skipped.
 *
 * @throws SomError `ERR_PARSE` on an unterminated quote or text after a closing quote.
 */
export function csvRecords(text: string, delimiter: string): CsvRecord[] {
  const delim = delimiter.charCodeAt(0);
  const records: CsvRecord[] = [];
  const len = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  while (i < len) {
    const startLine = line;
    const fields: string[] = [];
    let anyQuoted = false;
    // One record: read fields until an unquoted line break or the end of the text.
    for (;;) {
      // Leading whitespace (a tab delimiter is never whitespace here).
      while (i < len && text.charCodeAt(i) !== delim && isSpace(text.charCodeAt(i))) i++;
      let field: string;
      if (i < len && text.charCodeAt(i) === QUOTE) {
        anyQuoted = true;
        const openLine = line;
        i++;
        let buf = '';
        let from = i;
        for (;;) {
          if (i >= len) {
            throw new SomError('ERR_PARSE', `Line ${openLine}: unterminated quoted field (a '"' opened here is never closed). Close the quote or escape embedded quotes as "".`, {
              details: { line: openLine },
            });
          }
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (text.charCodeAt(i + 1) === QUOTE) {
              buf += text.slice(from, i + 1);
              i += 2;
              from = i;
              continue;
            }
            buf += text.slice(from, i);
            i++;
            break;
          }
          if (c === LF) line++;
          i++;
        }
        field = buf;
        // Only whitespace may follow the closing quote.
        while (i < len && text.charCodeAt(i) !== delim && isSpace(text.charCodeAt(i))) i++;
        if (i < len && text.charCodeAt(i) !== delim && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) {
          throw new SomError('ERR_PARSE', `Line ${line}: unexpected text after a closing quote (field ${fields.length + 1}). Quote the whole field and escape embedded quotes as "".`, {
            details: { line, field: fields.length + 1 },
          });
        }
      } else {
        const from = i;
        while (i < len) {
          const c = text.charCodeAt(i);
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
        field = text.slice(from, i).trim();
      }
      fields.push(field);
      if (i < len && text.charCodeAt(i) === delim) {
        i++;
        continue;
      }
      // End of record: CRLF, LF, lone CR, or end of text.
      if (i < len && text.charCodeAt(i) === CR) i++;
      if (i < len && text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    records.push({ line: startLine, fields, blank: !anyQuoted && fields.length === 1 && fields[0] === '' });
  }
  return records;
}
