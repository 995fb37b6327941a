/**
 * The grammar of table cells shared by `parseCsv`, `parseTable` and `Preprocessing.transform`:
 * numbers, non-finite literals, boolean words and missing-value markers.
 */

/** A decimal number as written by people and by numpy/pandas (no hex, no `_`). */
export const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The non-finite literals of numpy, pandas, R and JavaScript. */
export const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * The missing-value markers of {@link parseTable} by default, matched case-insensitively on the
 * trimmed cell: the empty cell, `NA`, `NaN`, `null` and `?`.
 */
export const DEFAULT_MISSING_VALUES: readonly string[] = Object.freeze(['', 'NA', 'NaN', 'null', '?']);

/** The pairs of words a boolean column may hold, `[false, true]`, compared in lower case. */
export const BOOLEAN_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['false', 'true'],
  ['no', 'yes'],
  ['0', '1'],
];

/** A predicate for "this trimmed cell is a missing value" over a list of markers (case-insensitive). */
export function missingMatcher(markers: readonly string[]): (cell: string) => boolean {
  const set = new Set(markers.map((m) => m.trim().toLowerCase()));
  return (cell) => set.has(cell.toLowerCase());
}

/**
 * The value of a boolean word: 0 for the first word of its pair in {@link BOOLEAN_PAIRS}, 1 for the
 * second, `undefined` for anything else. With `pair`, only that pair's words count.
 */
export function booleanValue(cell: string, pair?: number): 0 | 1 | undefined {
  const s = cell.toLowerCase();
  for (let p = 0; p < BOOLEAN_PAIRS.length; p++) {
    if (pair !== undefined && p !== pair) continue;
    const [f, t] = BOOLEAN_PAIRS[p]!;
    if (s === f) return 0;
    if (s === t) return 1;
  }
  return undefined;
}
