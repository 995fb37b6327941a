import { SomError } from '@somkit/plugin-api';
import type { Table } from './Table.js';
import { Preprocessing, type PreprocessingColumnJson, type Scaling } from './Preprocessing.js';

/** Options of {@link fitPreprocessing}. */
export interface FitPreprocessingOptions {
  /** Scaling of numeric and boolean columns. Default `'zscore'`. */
  scaling?: Scaling | undefined;
  /**
   * Largest one-hot weight of a categorical column under `zscore` (see {@link fitPreprocessing}).
   * Default 4: a near-constant column (Σ p² close to 1) would otherwise get an unbounded weight,
   * so that the rare mismatch dominates every distance.
   */
  maxCategoricalWeight?: number | undefined;
}

/**
 * Fits a {@link Preprocessing} on the feature columns of a training table, from the observed
 * (non-missing) cells only:
 * - numeric: `zscore` (mean, population sd), `minmax` (min, max − min) or `none`; a constant column
 *   gets scale 1, so it transforms to 0 (zscore, minmax), never NaN;
 * - boolean: one 0/1 dim, scaled like a numeric column;
 * - categorical: one-hot with weight w, so that the column counts like one numeric column. Under
 *   zscore, two random rows (drawn with replacement) differ in a numeric column by an expected
 *   squared difference of 2 (2 · variance). They differ in a categorical column with probability
 *   1 − Σ p_k² (p_k the category frequencies), and a mismatch costs 2w² in squared euclidean
 *   distance; so w² = 1 / (1 − Σ p_k²), capped at `maxCategoricalWeight`² (a column with one
 *   category gets the cap). Under `minmax`, w = 1/√2 (a mismatch costs 1, the largest squared
 *   difference of a min-max column); under `none`, w = 1 (plain one-hot). Why not plain one-hot
 *   under zscore: a mismatch would cost 2 whatever the frequencies, so a balanced many-category
 *   column would weigh ~2/(2·(1 − Σp²)) times less than a numeric column, or more for a skewed one.
 *
 * ```ts
 * const table = parseTable(text, { labelColumn: 'species' });
 * const pp = fitPreprocessing(table, { scaling: 'zscore' });
 * const { data, n, d } = pp.transform(table);   // [n, d], NaN where missing
 * ```
 * @param table - the training table; its `feature` columns are fitted
 * @throws SomError `ERR_INVALID_INPUT` (a feature column with every cell missing — the message
 *   names it —, no feature column, bad options)
 */
export function fitPreprocessing(table: Table, opts: FitPreprocessingOptions = {}): Preprocessing {
  const scaling = opts.scaling ?? 'zscore';
  if (!['zscore', 'minmax', 'none'].includes(scaling)) {
    throw new SomError('ERR_INVALID_INPUT', `Expected scaling to be 'zscore', 'minmax' or 'none', got ${JSON.stringify(scaling)}.`);
  }
  const cap = opts.maxCategoricalWeight ?? 4;
  if (!(typeof cap === 'number' && Number.isFinite(cap) && cap >= 1)) {
    throw new SomError('ERR_INVALID_INPUT', `Expected maxCategoricalWeight to be a finite number ≥ 1, got ${String(cap)}.`);
  }
  const features = table.columns.filter((c) => c.role === 'feature');
  if (features.length === 0) {
    throw new SomError('ERR_INVALID_INPUT', `Expected at least one feature column, got none: every column is a label, target or ignored (${table.columns.map((c) => `${c.name}: ${c.role}`).join(', ')}).`);
  }
  const columns = features.map((c): PreprocessingColumnJson => {
    if (c.missing === table.n) {
      throw new SomError(
        'ERR_INVALID_INPUT',
        `Feature column ${JSON.stringify(c.name)} has no values: all ${table.n} cells are missing, so it cannot be scaled or learnt. Exclude it (option ignore, --ignore ${c.name}) or fill it in.`,
        { details: { column: c.name, missing: c.missing } },
      );
    }
    if (c.type === 'categorical') {
      const counts = [...(c.counts ?? [])];
      const observed = counts.reduce((a, b) => a + b, 0);
      const sumP2 = counts.reduce((a, k) => a + (k / observed) ** 2, 0);
      const mismatch = 1 - sumP2;
      const weight = scaling === 'zscore' ? Math.min(cap, mismatch > 0 ? 1 / Math.sqrt(mismatch) : cap) : scaling === 'minmax' ? Math.SQRT1_2 : 1;
      return { name: c.name, type: 'categorical', categories: [...(c.categories ?? [])], counts, weight };
    }
    const { center, scale } = fitScale(c.values, scaling);
    if (c.type === 'boolean') {
      const [f = 'false', t = 'true'] = c.categories ?? [];
      return { name: c.name, type: 'boolean', center, scale, values: [f, t] };
    }
    const integer = c.values.every((v) => Number.isNaN(v) || Number.isInteger(v));
    return { name: c.name, type: 'numeric', center, scale, integer };
  });
  const excluded = table.columns.filter((c) => c.role !== 'feature').map((c) => c.name);
  const label = table.columns.find((c) => c.role === 'label')?.name;
  const target = table.columns.find((c) => c.role === 'target')?.name;
  const roles = { ...(label !== undefined ? { label } : {}), ...(target !== undefined ? { target } : {}) };
  return Preprocessing.fromJSON({ format: 'somkit.preprocessing', version: 1, scaling, missingValues: [...table.missingValues], columns, excluded, ...(label !== undefined || target !== undefined ? { roles } : {}) });
}

/** Center and scale of one column from its observed values; scale 1 for a constant column. */
function fitScale(values: Float64Array, scaling: Scaling): { center: number; scale: number } {
  if (scaling === 'none') return { center: 0, scale: 1 };
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (scaling === 'minmax') return { center: min, scale: max - min > 0 ? max - min : 1 };
  const mean = sum / n;
  let ss = 0;
  for (const v of values) if (!Number.isNaN(v)) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  return { center: mean, scale: sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1 };
}
