import type { LayerRow } from './DenseHead.js';

/**
 * Keras-style summary table: one line per layer (name (type), output shape, param count), then
 * total / trainable / non-trainable parameters.
 */
export function formatSummary(title: string, rows: readonly LayerRow[], extra: readonly string[] = []): string {
  const widths = [40, 24, 12];
  const line = (ch: string): string => ch.repeat(widths[0]! + widths[1]! + widths[2]!);
  const cell = (s: string, w: number): string => (s.length >= w ? s.slice(0, w - 1) + ' ' : s + ' '.repeat(w - s.length));
  const fmt = (v: number): string => v.toLocaleString('en-US');
  const out: string[] = [`Model: "${title}"`, line('_'), cell(' Layer (type)', widths[0]!) + cell('Output Shape', widths[1]!) + 'Param #', line('=')];
  rows.forEach((r, i) => {
    out.push(cell(` ${r.name} (${r.type})`, widths[0]!) + cell(r.outputShape, widths[1]!) + fmt(r.params));
    if (i < rows.length - 1) out.push('');
  });
  const total = rows.reduce((s, r) => s + r.params, 0);
  const trainable = rows.reduce((s, r) => s + r.trainableParams, 0);
  out.push(line('='), `Total params: ${fmt(total)}`, `Trainable params: ${fmt(trainable)}`, `Non-trainable params: ${fmt(total - trainable)}`);
  for (const e of extra) out.push(e);
  out.push(line('_'));
  return out.join('\n');
}
