/** Characters of a received value that error messages show before cutting it off. */
export const QUOTE_LIMIT = 80;

/**
 * Quotes a received value for an error message, cut to `limit` characters: a 10 MB cell or a
 * deeply nested model field must not be copied whole into a message (or a log line).
 *
 * Strings are shown in single quotes; longer ones as the first `limit` characters, `…` and the
 * full length (`'aaaa…' (10485760 characters)`). Other values are shown as JSON (numbers as
 * `String(n)`, so `NaN` and `Infinity` stay readable), cut the same way.
 *
 * ```ts
 * throw new SomError('ERR_PARSE', `row 3: expected a number, got ${quoteInput(cell)}.`);
 * ```
 * @param value - what was received
 * @param limit - characters shown at most (default {@link QUOTE_LIMIT})
 * @param style - `'single'` (default): `'text'`; `'json'`: a JSON string literal, `"text"` with
 *   escapes (for messages that always showed `JSON.stringify(cell)`)
 */
export function quoteInput(value: unknown, limit: number = QUOTE_LIMIT, style: 'single' | 'json' = 'single'): string {
  if (typeof value === 'string') {
    if (style === 'single') return cut(value, limit, true);
    if (value.length <= limit) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, limit)).slice(0, -1)}…" (${value.length} characters)`;
  }
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === null) return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // Too deep (stack overflow) or circular.
    text = undefined;
  }
  if (text === undefined) return Array.isArray(value) ? `an array of length ${value.length}` : 'an object';
  return cut(text, limit, false);
}

function cut(text: string, limit: number, quote: boolean): string {
  const q = quote ? "'" : '';
  if (text.length <= limit) return `${q}${text}${q}`;
  return `${q}${text.slice(0, limit)}…${q} (${text.length} characters)`;
}
