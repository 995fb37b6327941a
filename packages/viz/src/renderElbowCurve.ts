import { SomError } from '@somkit/plugin-api';
import { escapeXml } from './escapeXml.js';
import { formatNumber } from './formatNumber.js';
import { CHART_BOTTOM, CHART_LEFT, CHART_TOP, drawLineChart } from './lineChart.js';
import { svgDocument } from './svgDocument.js';

/**
 * A model-selection curve: a criterion per candidate number of clusters. Plain data, the shape
 * of `result.curve` from `cluster()` of `@somkit/clustering` with automatic k.
 */
export interface ElbowCurveData {
  /** Candidate numbers of clusters. */
  readonly ks: readonly number[];
  /** Criterion value at each k (same order as `ks`). */
  readonly values: readonly number[];
  /** `'inertia'` (k-means elbow) or `'bic'` (GMM, lowest wins). */
  readonly criterion: 'inertia' | 'bic';
}

/** Options of {@link renderElbowCurve}. */
export interface ElbowCurveStyle {
  /**
   * The k to mark (dashed line, ringed point), e.g. `result.k`. Default: the lowest BIC for
   * `'bic'`; nothing for `'inertia'` (the elbow rule belongs to the clustering, pass its k).
   */
  chosenK?: number;
  /** Default 'Elbow curve' (inertia) or 'BIC curve' (bic). */
  title?: string;
  /** Plot-area width, px. Default 520. */
  width?: number;
  /** Plot-area height, px. Default 220. */
  height?: number;
}

/**
 * Elbow / model-selection curve (TorchSOM `plot_elbow_analysis`): the criterion per number of
 * clusters k as a line chart with axes and ticks, the chosen k marked. k-means inertia always
 * falls with k — look for the elbow; for GMM BIC the lowest value wins. Hand-built SVG.
 * @param curve - `{ ks, values, criterion }`, e.g. `result.curve` of `cluster(codebook, { method: 'kmeans' })`
 * @throws SomError ERR_INVALID_INPUT (not a curve, unknown criterion), ERR_SHAPE_MISMATCH (ks and values differ in length)
 *
 * ```ts
 * const res = await cluster(som.getCodebook(), { method: 'kmeans' }); // automatic k
 * const svg = renderElbowCurve(res.curve!, { chosenK: res.k });
 * ```
 */
export function renderElbowCurve(curve: ElbowCurveData, style: ElbowCurveStyle = {}): string {
  if (typeof curve !== 'object' || curve === null || !Array.isArray(curve.ks) || !Array.isArray(curve.values)) {
    throw new SomError('ERR_INVALID_INPUT', 'renderElbowCurve: expected a curve { ks: number[], values: number[], criterion } such as result.curve of cluster() with automatic k.');
  }
  if (curve.criterion !== 'inertia' && curve.criterion !== 'bic') {
    throw new SomError('ERR_INVALID_INPUT', `renderElbowCurve: criterion must be 'inertia' or 'bic', got ${JSON.stringify(curve.criterion)}.`);
  }
  if (curve.ks.length !== curve.values.length) {
    throw new SomError('ERR_SHAPE_MISMATCH', `renderElbowCurve: ks has ${curve.ks.length} entries but values has ${curve.values.length}; expected one value per k.`);
  }
  if (!curve.ks.every((k) => typeof k === 'number' && Number.isFinite(k))) {
    throw new SomError('ERR_INVALID_INPUT', 'renderElbowCurve: every k must be a finite number.');
  }
  const bic = curve.criterion === 'bic';
  const order = curve.ks.map((_, i) => i).sort((a, b) => curve.ks[a]! - curve.ks[b]!);
  const xs = order.map((i) => curve.ks[i]!);
  const ys = order.map((i) => curve.values[i]!);
  let chosen = style.chosenK;
  if (chosen === undefined && bic) {
    let best = Infinity;
    xs.forEach((k, i) => {
      if (Number.isFinite(ys[i]!) && ys[i]! < best) [best, chosen] = [ys[i]!, k];
    });
  }
  const w = style.width ?? 520;
  const h = style.height ?? 220;
  const title = style.title ?? (bic ? 'BIC curve' : 'Elbow curve');
  const unit = bic ? 'BIC' : 'inertia';
  let x0 = xs.length > 0 ? xs[0]! : 1;
  let x1 = xs.length > 0 ? xs[xs.length - 1]! : 2;
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  const top = 28;
  const panel = drawLineChart(top, {
    name: bic ? 'BIC per number of clusters (lower is better)' : 'Inertia (within-cluster sum of squares) per number of clusters',
    xs,
    ys,
    xDomain: [x0, x1],
    xLabel: 'number of clusters k',
    yLabel: unit,
    color: bic ? '#59a14f' : '#4e79a7',
    width: w,
    height: h,
    pointTip: (k, v) => `k = ${k}: ${unit} ${formatNumber(v, 4)}`,
    corner: chosen !== undefined && Number.isFinite(chosen) ? `chosen k = ${chosen}` : undefined,
    mark: chosen !== undefined && Number.isFinite(chosen) ? { x: chosen, label: `k = ${chosen}` } : undefined,
  });
  const body = `<text class="figure-title" x="0" y="16" font-size="15" font-weight="600" fill="#111111">${escapeXml(title)}</text>` + panel;
  return svgDocument(body, CHART_LEFT + w + 10, top + CHART_TOP + h + CHART_BOTTOM, title, 'elbow');
}
