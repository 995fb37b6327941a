import { Preprocessing } from '@somkit/datasets';
import { csvField } from './csvField.js';


/**
 * The codebook as a CSV table in the training table's original units (fastsom's
 * `codebook_to_df`): one row per unit — `unit,row,col`, then per feature column its value
 * (numeric), or its most likely value and that value's share (`NAME`, `NAME_share`; categorical
 * and boolean columns).
 * @param weights - codebook [u, d] in the pipeline's transformed dims
 */
export function codebookTable(preprocessing: unknown, weights: Float32Array, units: number, cols: number): string {
  const pp = Preprocessing.fromJSON(preprocessing);
  const rows = pp.inverse({ data: weights, shape: [units, pp.dims] });
  const header = ['unit', 'row', 'col', ...pp.columns.flatMap((c) => (c.type === 'numeric' ? [c.name] : [c.name, `${c.name}_share`]))];
  const lines = [header.map(csvField).join(',')];
  rows.forEach((cells, u) => {
    const out = [String(u), String(Math.floor(u / cols)), String(u % cols)];
    for (const c of cells) out.push(c.type === 'numeric' ? c.text : c.text, ...(c.type === 'numeric' ? [] : [String(Number(c.share.toPrecision(4)))]));
    lines.push(out.map(csvField).join(','));
  });
  return `${lines.join('\n')}\n`;
}
