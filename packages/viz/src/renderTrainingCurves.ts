import { SomError } from '@somkit/plugin-api';
import { escapeXml } from './escapeXml.js';
import { formatNumber, px } from './formatNumber.js';
import { niceTicks } from './niceTicks.js';
import { svgDocument } from './svgDocument.js';

/** Per-epoch errors, as in `som.history` / `fit()`'s return value. */
export interface TrainingHistory {
  /** Quantization error per epoch. */
  readonly qe: readonly number[];
  /** Topographic error per epoch, a fraction in [0, 1] (NaN allowed for 1-unit maps). */
  readonly te: readonly number[];
}

/** Options of {@link renderTrainingCurves}. */
export interface TrainingCurvesStyle {
  title?: string;
  /** Plot-area width of each panel, px. Default 520. */
  width?: number;
  /** Plot-area height of each panel, px. Default 170. */
  height?: number;
}

const LEFT = 58;
const BOTTOM = 34;
const PANEL_TOP = 22;

function panel(y0: number, values: readonly number[], name: string, unitLabel: string, scale: number, color: string, w: number, h: number): string {
  const pts = values.map((v, i) => ({ x: i + 1, y: v * scale })).filter((p) => Number.isFinite(p.y));
  const parts: string[] = [`<g class="panel" data-series="${escapeXml(name)}" transform="translate(0,${px(y0)})">`];
  parts.push(`<text class="panel-title" x="${LEFT}" y="14" font-size="12.5" font-weight="600" fill="#222222">${escapeXml(name)}</text>`);
  const top = PANEL_TOP;
  parts.push(`<rect x="${LEFT}" y="${top}" width="${w}" height="${h}" fill="#fafafa" stroke="#dddddd" stroke-width="0.8"/>`);
  if (pts.length === 0) {
    parts.push(`<text x="${px(LEFT + w / 2)}" y="${px(top + h / 2)}" text-anchor="middle" font-size="12" fill="#777777">no values</text></g>`);
    return parts.join('');
  }
  const n = values.length;
  const x0 = 1;
  const x1 = Math.max(2, n);
  let lo = Math.min(...pts.map((p) => p.y));
  let hi = Math.max(...pts.map((p) => p.y));
  if (hi === lo) {
    // A flat series: a band around it, never below 0 for non-negative errors.
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
    lo = lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
    hi += pad;
  } else {
    const pad = (hi - lo) * 0.06;
    lo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
    hi += pad;
  }
  const yTicks = niceTicks(lo, hi, 4);
  lo = Math.min(lo, yTicks[0] ?? lo);
  hi = Math.max(hi, yTicks[yTicks.length - 1] ?? hi);
  const sx = (x: number): number => LEFT + ((x - x0) / (x1 - x0)) * w;
  const sy = (y: number): number => top + h - ((y - lo) / (hi - lo)) * h;
  // Axes with ticks and grid lines.
  for (const t of yTicks) {
    const y = sy(t);
    parts.push(`<line x1="${LEFT}" y1="${px(y)}" x2="${px(LEFT + w)}" y2="${px(y)}" stroke="#e6e6e6" stroke-width="0.8"/>`);
    parts.push(`<line class="tick" x1="${LEFT - 4}" y1="${px(y)}" x2="${LEFT}" y2="${px(y)}" stroke="#444444"/>`);
    parts.push(`<text class="tick-label" x="${LEFT - 7}" y="${px(y + 3.5)}" text-anchor="end" font-size="10" fill="#333333">${escapeXml(formatNumber(t))}</text>`);
  }
  const xTicks = niceTicks(x0, x1, Math.min(8, x1 - x0)).filter((t) => Number.isInteger(t) && t >= x0 && t <= x1);
  for (const t of xTicks) {
    const x = sx(t);
    parts.push(`<line class="tick" x1="${px(x)}" y1="${px(top + h)}" x2="${px(x)}" y2="${px(top + h + 4)}" stroke="#444444"/>`);
    parts.push(`<text class="tick-label" x="${px(x)}" y="${px(top + h + 15)}" text-anchor="middle" font-size="10" fill="#333333">${t}</text>`);
  }
  parts.push(`<line class="axis" x1="${LEFT}" y1="${px(top + h)}" x2="${px(LEFT + w)}" y2="${px(top + h)}" stroke="#444444"/>`);
  parts.push(`<line class="axis" x1="${LEFT}" y1="${top}" x2="${LEFT}" y2="${px(top + h)}" stroke="#444444"/>`);
  parts.push(`<text x="${px(LEFT + w / 2)}" y="${px(top + h + 29)}" text-anchor="middle" font-size="11" fill="#333333">epoch</text>`);
  parts.push(`<text x="14" y="${px(top + h / 2)}" text-anchor="middle" font-size="11" fill="#333333" transform="rotate(-90 14 ${px(top + h / 2)})">${escapeXml(unitLabel)}</text>`);
  // The series: a polyline (gaps at NaN are bridged), points for short runs.
  parts.push(`<polyline class="series" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" points="${pts.map((p) => `${px(sx(p.x))},${px(sy(p.y))}`).join(' ')}"/>`);
  if (pts.length <= 60) {
    for (const p of pts) parts.push(`<circle cx="${px(sx(p.x))}" cy="${px(sy(p.y))}" r="2.6" fill="${color}"><title>epoch ${p.x}: ${escapeXml(formatNumber(p.y, 4))}</title></circle>`);
  }
  const last = pts[pts.length - 1]!;
  parts.push(`<text x="${px(LEFT + w)}" y="14" text-anchor="end" font-size="11" fill="#444444">last: ${escapeXml(formatNumber(last.y, 4))}</text>`);
  parts.push('</g>');
  return parts.join('');
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
  const panelH = PANEL_TOP + h + BOTTOM + 12;
  const top = 28;
  const body =
    `<text class="figure-title" x="0" y="16" font-size="15" font-weight="600" fill="#111111">${escapeXml(title)}</text>` +
    (history.qe.length === 0 ? `<text x="0" y="44" font-size="12" fill="#777777">no training history (the map was not trained with fit)</text>` : '') +
    panel(top, history.qe, 'Quantization error', 'QE', 1, '#4e79a7', w, h) +
    panel(top + panelH, history.te, 'Topographic error', 'TE (%)', 100, '#e15759', w, h);
  return svgDocument(body, LEFT + w + 10, top + 2 * panelH - 12, title, 'training-curves');
}
