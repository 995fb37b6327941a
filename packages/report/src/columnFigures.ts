import { SomError, type Codebook } from '@somkit/plugin-api';
import { renderComponentPlanes } from '@somkit/viz';
import { renderMap } from '@somkit/viz';
import { formatNumber } from '@somkit/viz';
import type { HtmlFigure } from './reportHtml.js';

/**
 * One column of the data in its original units, per unit of the map — the codebook read back
 * through a table pipeline (e.g. `Preprocessing.inverse` of `@somkit/datasets`). Plain data: viz
 * knows nothing of the pipeline.
 */
export type ReportColumn =
  | { readonly name: string; readonly type: 'numeric'; /** [u] values in the column's units. */ readonly values: ArrayLike<number> }
  | {
      readonly name: string;
      readonly type: 'categorical';
      readonly categories: readonly string[];
      /** [u] index into `categories` of each unit's most likely category. */
      readonly unitCategory: ArrayLike<number>;
      /** [u] that category's share of the unit (0–1). */
      readonly share: ArrayLike<number>;
    };

/** Numeric columns by their spread across units relative to their range, widest first, at most `max`, in column order. */
function widestNumeric(cols: readonly { i: number; values: ArrayLike<number> }[], max: number): number[] {
  const spread = cols.map(({ values }) => {
    let [lo, hi, s, ss] = [Infinity, -Infinity, 0, 0];
    for (let u = 0; u < values.length; u++) {
      const v = values[u]!;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      s += v;
      ss += v * v;
    }
    const n = values.length;
    return hi > lo ? (ss / n - (s / n) ** 2) / (hi - lo) ** 2 : 0;
  });
  return cols.map((_, t) => t).sort((a, b) => spread[b]! - spread[a]! || a - b).slice(0, max).sort((a, b) => a - b).map((t) => cols[t]!.i);
}

/**
 * The report's component planes in the data's original columns: one heat map per numeric column
 * (colour bar in its units) and one categorical map per categorical column (the unit's most
 * likely category), at most `max` panels in all (the most varying numeric columns first fill
 * what the categorical maps leave).
 * @param geometry - the map's grid (a codebook's geometry fields)
 * @throws SomError ERR_SHAPE_MISMATCH when a column does not have one value per unit
 */
export function columnFigures(columns: readonly ReportColumn[], geometry: Omit<Codebook, 'weights' | 'dims'>, hits: Float32Array, max: number): HtmlFigure[] {
  const u = geometry.units;
  for (const c of columns) {
    const len = c.type === 'numeric' ? c.values.length : c.unitCategory.length;
    if (len !== u || (c.type === 'categorical' && c.share.length !== u)) {
      throw new SomError('ERR_SHAPE_MISMATCH', `buildReport: column '${c.name}' has ${len} values; expected one per unit (${u}).`);
    }
  }
  const categorical = columns.filter((c): c is Extract<ReportColumn, { type: 'categorical' }> => c.type === 'categorical').slice(0, max);
  const numeric = columns.flatMap((c, i) => (c.type === 'numeric' ? [{ i, values: c.values, name: c.name }] : []));
  const keep = new Set(widestNumeric(numeric, Math.max(0, max - categorical.length)));
  const drawn = numeric.filter((c) => keep.has(c.i));
  const figures: HtmlFigure[] = [];
  const skipped = columns.length - drawn.length - categorical.length;
  const note = skipped > 0 ? ` Showing ${drawn.length + categorical.length} of ${columns.length} columns (the categorical ones and the numeric ones that vary most across units; maxComponentPlanes).` : '';
  if (drawn.length > 0) {
    const weights = new Float32Array(u * drawn.length);
    drawn.forEach((c, j) => {
      for (let k = 0; k < u; k++) weights[k * drawn.length + j] = c.values[k]!;
    });
    const cb: Codebook = { ...geometry, weights, dims: drawn.length };
    figures.push({
      name: 'component-planes',
      title: 'Component planes',
      svg: renderComponentPlanes(cb, drawn.map((c) => c.name), { title: 'Component planes', hits }),
      caption: `The codebook value of each numeric column on the map, in the column's own units (the saved scaling undone). Columns with similar patterns are correlated.${note}`,
      wide: drawn.length > 2,
    });
  }
  categorical.forEach((c, t) => {
    const values = Float32Array.from({ length: u }, (_, k) => c.unitCategory[k]!);
    let share = 0;
    for (let k = 0; k < u; k++) share += c.share[k]!;
    figures.push({
      name: `category-${t}`,
      title: `Category map: ${c.name}`,
      svg: renderMap({ type: 'category', values, rows: geometry.rows, cols: geometry.cols, topology: geometry.topology, pbc: geometry.pbc, label: c.name }, { title: `${c.name} (most likely category per unit)`, scheme: 'categorical', classNames: c.categories, hits }),
      caption: `The most likely category of '${c.name}' at each unit (from its one-hot codebook weights; on average it holds ${formatNumber(share / u * 100, 3)} % of the unit's weight for this column).${t === 0 && drawn.length === 0 ? note : ''}`,
    });
  });
  return figures;
}
