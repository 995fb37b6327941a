import { escapeXml } from './escapeXml.js';
import { formatNumber, px } from './formatNumber.js';
import { niceTicks } from './niceTicks.js';

/** Left margin of a line-chart panel (y tick labels and the y label), px. */
export const CHART_LEFT = 58;
/** Space under the plot area (x tick labels and the x label), px. */
export const CHART_BOTTOM = 34;
/** Space above the plot area (the panel title), px. */
export const CHART_TOP = 22;

/** One line-chart panel: a series over integer x (epochs, numbers of clusters). */
export interface LineChartSpec {
  /** Panel title; also its `data-series`. */
  readonly name: string;
  /** x of each value (integers; same length as `ys`). */
  readonly xs: readonly number[];
  /** The values; non-finite ones are skipped (the line bridges them). */
  readonly ys: readonly number[];
  /** x range of the plot area. */
  readonly xDomain: readonly [number, number];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly color: string;
  /** Plot-area size, px. */
  readonly width: number;
  readonly height: number;
  /** Tooltip text of a point. */
  readonly pointTip: (x: number, y: number) => string;
  /** Right-aligned text above the plot, e.g. the last value. */
  readonly corner?: string | undefined;
  /** A marked x (dashed vertical line, ring around its point, label), e.g. the chosen k. */
  readonly mark?: { readonly x: number; readonly label: string } | undefined;
}

/**
 * Draws one line-chart panel at vertical offset `y0`: title, framed plot area, y ticks with grid
 * lines, integer x ticks, axes, axis labels, the series as a polyline (points for ≤ 60 values)
 * and an optional marked x. Shared by the training curves and the elbow curve.
 */
export function drawLineChart(y0: number, spec: LineChartSpec): string {
  const { name, width: w, height: h, color } = spec;
  const LEFT = CHART_LEFT;
  const top = CHART_TOP;
  const pts = spec.ys.map((y, i) => ({ x: spec.xs[i]!, y })).filter((p) => Number.isFinite(p.y) && Number.isFinite(p.x));
  const parts: string[] = [`<g class="panel" data-series="${escapeXml(name)}" transform="translate(0,${px(y0)})">`];
  parts.push(`<text class="panel-title" x="${LEFT}" y="14" font-size="12.5" font-weight="600" fill="#222222">${escapeXml(name)}</text>`);
  parts.push(`<rect x="${LEFT}" y="${top}" width="${w}" height="${h}" fill="#fafafa" stroke="#dddddd" stroke-width="0.8"/>`);
  if (pts.length === 0) {
    parts.push(`<text x="${px(LEFT + w / 2)}" y="${px(top + h / 2)}" text-anchor="middle" font-size="12" fill="#777777">no values</text></g>`);
    return parts.join('');
  }
  const [x0, x1] = spec.xDomain;
  let lo = Math.min(...pts.map((p) => p.y));
  let hi = Math.max(...pts.map((p) => p.y));
  if (hi === lo) {
    // A flat series: a band around it, never below 0 for non-negative values.
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
  parts.push(`<text x="${px(LEFT + w / 2)}" y="${px(top + h + 29)}" text-anchor="middle" font-size="11" fill="#333333">${escapeXml(spec.xLabel)}</text>`);
  parts.push(`<text x="14" y="${px(top + h / 2)}" text-anchor="middle" font-size="11" fill="#333333" transform="rotate(-90 14 ${px(top + h / 2)})">${escapeXml(spec.yLabel)}</text>`);
  const mark = spec.mark;
  if (mark !== undefined && Number.isFinite(mark.x) && mark.x >= x0 && mark.x <= x1) {
    // Under the series: a dashed vertical line with its label at the top of the plot area.
    const x = sx(mark.x);
    const anchor = x > LEFT + w - 40 ? 'end' : 'start';
    parts.push(
      `<g class="mark" data-x="${mark.x}"><line x1="${px(x)}" y1="${top}" x2="${px(x)}" y2="${px(top + h)}" stroke="#333333" stroke-width="1.2" stroke-dasharray="5 3"/>` +
        `<text class="mark-label" x="${px(anchor === 'end' ? x - 5 : x + 5)}" y="${top + 13}" text-anchor="${anchor}" font-size="11" font-weight="600" fill="#222222">${escapeXml(mark.label)}</text></g>`,
    );
  }
  // The series: a polyline (gaps at NaN are bridged), points for short runs.
  parts.push(`<polyline class="series" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" points="${pts.map((p) => `${px(sx(p.x))},${px(sy(p.y))}`).join(' ')}"/>`);
  if (pts.length <= 60) {
    for (const p of pts) parts.push(`<circle cx="${px(sx(p.x))}" cy="${px(sy(p.y))}" r="2.6" fill="${color}"><title>${escapeXml(spec.pointTip(p.x, p.y))}</title></circle>`);
  }
  const marked = mark === undefined ? undefined : pts.find((p) => p.x === mark.x);
  if (marked !== undefined) {
    parts.push(`<circle class="mark-point" cx="${px(sx(marked.x))}" cy="${px(sy(marked.y))}" r="6" fill="none" stroke="#222222" stroke-width="1.6"/>`);
  }
  if (spec.corner !== undefined) parts.push(`<text x="${px(LEFT + w)}" y="14" text-anchor="end" font-size="11" fill="#444444">${escapeXml(spec.corner)}</text>`);
  parts.push('</g>');
  return parts.join('');
}
