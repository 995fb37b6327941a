/** A summary row the report computes itself, with the caller labels that mean the same thing. */
export interface AutoSummaryRow {
  readonly label: string;
  readonly value: string;
  /** Caller labels with the same meaning (compared with {@link summaryKey}), e.g. `['QE', 'quantization error']`. */
  readonly aliases: readonly string[];
}

/**
 * The meaning key of a summary label: lower case, letters and digits only, so `QE`, `qe` and
 * `Q.E.` match, and `Grid` matches `grid`. Parenthesised qualifiers are kept (`QE (test set)` is
 * not the QE of the report's samples).
 */
export function summaryKey(label: string): string {
  return label.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** True when one of the `given` rows has a label meaning one of `aliases`. */
export function summaryHas(given: readonly (readonly [string, string])[], aliases: readonly string[]): boolean {
  const keys = new Set(aliases.map(summaryKey));
  return given.some(([label]) => keys.has(summaryKey(label)));
}

/**
 * The report's summary table: the caller's rows first (all of them, as given), then each
 * computed row whose meaning the caller has not given already, so QE, TE and the grid are listed
 * once each whatever the caller calls them.
 * @param given - the caller's rows, in order
 * @param auto - the rows the report computes
 *
 * ```ts
 * mergeSummary([['QE', '0.41']], [{ label: 'Quantization error (these samples)', value: '0.4102', aliases: ['qe'] }]);
 * // [['QE', '0.41']]
 * ```
 */
export function mergeSummary(given: readonly (readonly [string, string])[], auto: readonly AutoSummaryRow[]): [string, string][] {
  const out: [string, string][] = given.map(([label, value]) => [label, value]);
  for (const row of auto) if (!summaryHas(given, [row.label, ...row.aliases])) out.push([row.label, row.value]);
  return out;
}
