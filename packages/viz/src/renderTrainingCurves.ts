import { SomError } from '@somkit/plugin-api';
import { escapeXml } from './escapeXml.js';
import { formatNumber } from './formatNumber.js';
import { CHART_BOTTOM, CHART_LEFT, CHART_TOP, drawLineChart } from './lineChart.js';
import { svgDocument } from './svgDocument.js';

/** Per-epoch errors, as in `som.history` / `fit()`'s return value. */
export interface TrainingHistory {
  /** Quantization error per epoch. */
  readonly qe: readonly number[];
  /** Topographic error per epoch, a fraction in [0, 1] (NaN allowed for 1-unit maps). */
  readonly te: readonly number[];
  /** Learning rate per epoch (panel `'learningRate'`). */
  readonly learningRate?: readonly number[];
  /** Neighbourhood radius per epoch (panel `'sigma'`). */
  readonly sigma?: readonly number[];
}

/** Panels of {@link renderTrainingCurves}. */
export type TrainingCurve = 'qe' | 'te' | 'learningRate' | 'sigma';

/** Options of {@link renderTrainingCurves}. */
export interface TrainingCurvesStyle {
  title?: string;
  /** Plot-area width of each panel, px. Default 520. */
  width?: number;
  /** Plot-area height of each panel, px. Default 170. */
  height?: number;
  /**
   * Panels, top to bottom. Default `['qe', 'te']`; `['learningRate', 'sigma']` draws the
   * hyperparameter curves (fastsom's `'hyperparams'` figure).
   */
  panels?: readonly TrainingCurve[];
}

const PANELS: Record<TrainingCurve, [name: string, unit: string, scale: number, color: string]> = {
  qe: ['Quantization error', 'QE', 1, '#4e79a7'],
  te: ['Topographic error', 'TE (%)', 100, '#e15759'],
  learningRate: ['Learning rate', 'α', 1, '#59a14f'],
  sigma: ['Neighbourhood radius', 'σ', 1, '#f28e2b'],
};

function panel(y0: number, values: readonly number[], name: string, unitLabel: string, scale: number, color: string, w: number, h: number): string {
  const ys = values.map((v) => v * scale);
  let last = Number.NaN;
  for (const y of ys) if (Number.isFinite(y)) last = y;
  return drawLineChart(y0, {
    name,
    xs: ys.map((_, i) => i + 1),
    ys,
    xDomain: [1, Math.max(2, values.length)],
    xLabel: 'epoch',
    yLabel: unitLabel,
    color,
    width: w,
    height: h,
    pointTip: (x, y) => `epoch ${x}: ${formatNumber(y, 4)}`,
    corner: Number.isFinite(last) ? `last: ${formatNumber(last, 4)}` : undefined,
  });
}

/**
 * Training curves (TorchSOM `plot_training_errors`): two stacked line charts, quantization error
 * and topographic error (in %), per epoch, with axes and ticks. Hand-built SVG, no chart library.
 * @param history - `{ qe, te }` per epoch, e.g. `som.history`
 *
 * ```ts
 * const svg = renderTrainingCurves(await som.fit(data));
 * ```
 */
export function renderTrainingCurves(history: TrainingHistory, style: TrainingCurvesStyle = {}): string {
  if (typeof history !== 'object' || history === null || !Array.isArray(history.qe) || !Array.isArray(history.te)) {
    throw new SomError('ERR_INVALID_INPUT', 'renderTrainingCurves: expected a history { qe: number[], te: number[] } such as som.history.');
  }
  const w = style.width ?? 520;
  const h = style.height ?? 170;
  const title = style.title ?? 'Training curves';
  const panelH = CHART_TOP + h + CHART_BOTTOM + 12;
  const top = 28;
  const panels = style.panels ?? ['qe', 'te'];
  const bad = panels.find((p) => !(p in PANELS));
  if (bad !== undefined) throw new SomError('ERR_INVALID_INPUT', `renderTrainingCurves: unknown panel '${String(bad)}'; expected ${Object.keys(PANELS).map((k) => `'${k}'`).join(', ')}.`);
  const body =
    `<text class="figure-title" x="0" y="16" font-size="15" font-weight="600" fill="#111111">${escapeXml(title)}</text>` +
    (history.qe.length === 0 ? `<text x="0" y="44" font-size="12" fill="#777777">no training history (the map was not trained with fit)</text>` : '') +
    panels.map((p, i) => panel(top + i * panelH, history[p] ?? [], ...PANELS[p], w, h)).join('');
  return svgDocument(body, CHART_LEFT + w + 10, top + panels.length * panelH - 12, title, 'training-curves');
}
