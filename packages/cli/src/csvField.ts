/**
 * A CSV field as somkit writes it: quoted (with `""` escapes) when it holds a comma, a quote, a
 * line break or leading/trailing whitespace — the readers trim unquoted fields — else as it is.
 */
export function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
