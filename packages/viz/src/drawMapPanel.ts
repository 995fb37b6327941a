import { escapeXml } from './escapeXml.js';
import { attrNumber, formatNumber, px } from './formatNumber.js';
import { cellLayout, type GridGeometry } from '@somkit/geometry';
import { categoricalColor } from '@somkit/geometry';
import { continuousColor, textColorOn, type ContinuousScheme } from './continuousColor.js';
import { niceTicks } from './niceTicks.js';

/** Fill of units without a value (empty / NaN). */
export const EMPTY_FILL = '#f4f4f4';
const EMPTY_STROKE = '#c4c4c4';
const HATCH = '#bdbdbd';
const TITLE_H = 24;
const BAR_W = 14;
const CHAR_W = 0.6;

/** A legend entry of a categorical map. */
export interface LegendEntry {
  readonly label: string;
  /** Swatch fill; `'none'` draws the text alone (e.g. "… and 12 more"). */
  readonly color: string;
}

/** Everything one map panel needs; built by the public renderers. */
export interface PanelSpec extends GridGeometry {
  /** [u] values; non-finite = empty cell. */
  readonly values: ArrayLike<number>;
  readonly title?: string | undefined;
  /** Largest side of the cell area, px. */
  readonly size: number;
  /** How cells are coloured. `rgb` uses `colors`. */
  readonly scheme: ContinuousScheme | 'categorical' | 'rgb';
  /** Per-unit fills for the `rgb` scheme, `#rrggbb`. */
  readonly colors?: readonly string[] | undefined;
  /** Colour-scale domain (continuous schemes). */
  readonly domain?: readonly [number, number] | undefined;
  readonly showValues: boolean;
  /** Name shown for the value in tooltips, e.g. 'Hits'. */
  readonly valueName: string;
  /** Fill of a value (categorical scheme). Default {@link categoricalColor}. */
  readonly colorOf?: ((v: number) => string) | undefined;
  /** Display text of a value (tooltips, per-cell text). */
  readonly formatValue?: ((v: number) => string) | undefined;
  readonly hits?: ArrayLike<number> | undefined;
  /** Continuous: 'colorbar'; categorical: entries; or nothing. */
  readonly legend: 'colorbar' | readonly LegendEntry[] | 'none';
  readonly colorbarLabel?: string | undefined;
  /** Extra line under the map (e.g. explained variance), optional. */
  readonly note?: string | undefined;
}

/** Drawn SVG content positioned at (0, 0) and its size in px. */
export interface Drawn {
  readonly body: string;
  readonly width: number;
  readonly height: number;
}

function textWidth(s: string, fontSize: number): number {
  return s.length * fontSize * CHAR_W;
}

/** The domain of a continuous scheme: given, or the finite min/max (symmetric for diverging). */
export function valueDomain(values: ArrayLike<number>, scheme: ContinuousScheme, given?: readonly [number, number]): [number, number] {
  if (given !== undefined && Number.isFinite(given[0]) && Number.isFinite(given[1]) && given[1] > given[0]) return [given[0], given[1]];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo === Infinity) return [0, 1];
  if (scheme === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    return [-m, m];
  }
  if (lo === hi) return lo === 0 ? [0, 1] : [Math.min(0, lo), Math.max(0, hi)];
  return [lo, hi];
}

function colorBar(x0: number, top: number, height: number, scheme: ContinuousScheme, domain: [number, number], label: string | undefined): Drawn {
  const [lo, hi] = domain;
  const steps = 48;
  const parts: string[] = [`<g class="colorbar" transform="translate(${px(x0)},${px(top)})">`];
  const h = height / steps;
  for (let i = 0; i < steps; i++) {
    const t = 1 - (i + 0.5) / steps;
    parts.push(`<rect x="0" y="${px(i * h)}" width="${BAR_W}" height="${px(h + 0.6)}" fill="${continuousColor(scheme, t)}" shape-rendering="crispEdges"/>`);
  }
  parts.push(`<rect x="0" y="0" width="${BAR_W}" height="${px(height)}" fill="none" stroke="#555555" stroke-width="0.6"/>`);
  let maxLabel = 0;
  for (const t of niceTicks(lo, hi, Math.max(2, Math.min(6, Math.floor(height / 28))))) {
    const y = (1 - (t - lo) / (hi - lo)) * height;
    const text = formatNumber(t);
    maxLabel = Math.max(maxLabel, textWidth(text, 10));
    parts.push(`<line class="tick" x1="${BAR_W}" y1="${px(y)}" x2="${BAR_W + 4}" y2="${px(y)}" stroke="#555555" stroke-width="0.8"/>`);
    parts.push(`<text class="tick-label" x="${BAR_W + 6}" y="${px(y + 3.5)}" font-size="10" fill="#333333">${escapeXml(text)}</text>`);
  }
  let width = BAR_W + 8 + maxLabel;
  if (label !== undefined && label !== '') {
    const lx = width + 8;
    parts.push(`<text class="colorbar-label" x="${px(lx)}" y="${px(height / 2)}" font-size="11" fill="#333333" text-anchor="middle" transform="rotate(90 ${px(lx)} ${px(height / 2)})">${escapeXml(label)}</text>`);
    width = lx + 8;
  }
  parts.push('</g>');
  return { body: parts.join(''), width, height };
}

function legendBlock(x0: number, top: number, maxHeight: number, entries: readonly LegendEntry[]): Drawn {
  const rowH = 17;
  const perCol = Math.max(1, Math.floor(Math.max(maxHeight, rowH * 6) / rowH));
  const cols = Math.ceil(entries.length / perCol);
  const colW = 22 + Math.max(...entries.map((e) => textWidth(e.label, 11)), 20);
  const parts: string[] = [`<g class="legend" transform="translate(${px(x0)},${px(top)})">`];
  entries.forEach((e, i) => {
    const x = Math.floor(i / perCol) * colW;
    const y = (i % perCol) * rowH;
    // An entry without a colour (the "… and M more" line) has no swatch.
    const swatch = e.color === 'none' ? '' : `<rect x="${px(x)}" y="${px(y)}" width="12" height="12" fill="${e.color}" stroke="#555555" stroke-width="0.5"/>`;
    parts.push(`<g class="${e.color === 'none' ? 'legend-more' : 'legend-entry'}" data-label="${escapeXml(e.label)}">${swatch}<text x="${px(x + 17)}" y="${px(y + 10)}" font-size="11" fill="#222222">${escapeXml(e.label)}</text></g>`);
  });
  parts.push('</g>');
  return { body: parts.join(''), width: cols * colW, height: Math.min(entries.length, perCol) * rowH };
}

/**
 * Draws one map: title, one `<path class="cell">` per unit (with `data-unit`, `data-value` and a
 * `<title>` tooltip), optional per-cell values, and a colour bar or legend to the right.
 * Empty (non-finite) units are light grey with `data-value=""` and `data-empty="true"`.
 */
export function drawMapPanel(spec: PanelSpec): Drawn {
  const layout = cellLayout(spec, spec.size);
  const top = spec.title !== undefined && spec.title !== '' ? TITLE_H : 0;
  const continuous = spec.scheme === 'viridis' || spec.scheme === 'diverging' ? spec.scheme : undefined;
  const domain = continuous !== undefined ? valueDomain(spec.values, continuous, spec.domain) : ([0, 1] as [number, number]);
  // Float32 rounding noise (e.g. 1.9e-7 for a mean that is 0) shows as 0 in the text.
  const tiny = 1e-6 * Math.max(Math.abs(domain[0]), Math.abs(domain[1]));
  const fmt = spec.formatValue ?? ((v: number) => formatNumber(Math.abs(v) < tiny ? 0 : v));
  const stroke = layout.scale >= 7 ? ` stroke="#ffffff" stroke-width="${px(Math.min(1, layout.scale / 24))}"` : '';
  const fontSize = Math.min(12, Math.max(6, layout.scale * 0.36));
  const withText = spec.showValues && spec.rows <= 30 && spec.cols <= 30 && layout.scale >= 14;
  const cells: string[] = [];
  const texts: string[] = [];
  const hatches: string[] = [];
  let anyEmpty = false;
  for (let u = 0; u < layout.units; u++) {
    const v = spec.values[u]!;
    const row = Math.floor(u / spec.cols);
    const col = u % spec.cols;
    let fill: string;
    let empty: boolean;
    if (spec.scheme === 'rgb') {
      const c = spec.colors?.[u];
      empty = c === undefined || c === '';
      fill = empty ? EMPTY_FILL : c!;
    } else {
      empty = !Number.isFinite(v);
      fill = empty ? EMPTY_FILL : continuous !== undefined ? continuousColor(continuous, (v - domain[0]) / (domain[1] - domain[0])) : (spec.colorOf ?? categoricalColor)(v);
    }
    anyEmpty ||= empty;
    const hits = spec.hits?.[u];
    const tip =
      `Unit ${u} (row ${row}, col ${col})\n${spec.valueName}: ${empty ? 'no data' : spec.scheme === 'rgb' ? fill : fmt(v)}` +
      (hits !== undefined && Number.isFinite(hits) ? `\nHits: ${hits}` : '');
    const dataValue = spec.scheme === 'rgb' ? (empty ? '' : fill) : attrNumber(v);
    cells.push(
      `<path class="cell" data-unit="${u}" data-row="${row}" data-col="${col}" data-value="${dataValue}"${empty ? ' data-empty="true"' : ''} d="${layout.path(u)}" fill="${fill}"${empty ? ` stroke="${EMPTY_STROKE}" stroke-width="0.6"` : stroke}><title>${escapeXml(tip)}</title></path>`,
    );
    const [cx, cy] = layout.center(u);
    if (empty && layout.scale >= 6) {
      // A diagonal hatch stroke marks "no data" apart from any colour of the scale.
      const h = layout.scale * 0.28;
      hatches.push(`M${px(cx - h)} ${px(cy + h)}L${px(cx + h)} ${px(cy - h)}`);
    }
    if (withText && !empty && spec.scheme !== 'rgb') {
      // Cell text: the display format, shortened to 2 significant digits and a smaller font if needed.
      let s = fmt(v);
      if (textWidth(s, fontSize) > layout.scale * 0.92 && !Number.isInteger(v)) s = formatNumber(Math.abs(v) < tiny ? 0 : v, 2);
      const size = Math.min(fontSize, (layout.scale * 0.92) / Math.max(1, s.length * CHAR_W));
      if (size >= 5.5) {
        texts.push(`<text x="${px(cx)}" y="${px(cy + size * 0.35)}" text-anchor="middle" font-size="${px(size)}" fill="${textColorOn(fill)}">${escapeXml(s)}</text>`);
      }
    }
  }
  const parts: string[] = [];
  if (top > 0) parts.push(`<text class="figure-title" x="0" y="16" font-size="15" font-weight="600" fill="#111111">${escapeXml(spec.title!)}</text>`);
  parts.push(`<g class="cells" transform="translate(0,${top})">${cells.join('')}</g>`);
  if (hatches.length > 0) parts.push(`<path class="hatch" transform="translate(0,${top})" d="${hatches.join('')}" stroke="${HATCH}" stroke-width="${px(Math.max(0.6, layout.scale / 20))}" fill="none" pointer-events="none"/>`);
  if (texts.length > 0) parts.push(`<g class="values" transform="translate(0,${top})" pointer-events="none">${texts.join('')}</g>`);
  let width = layout.width;
  let height = top + layout.height;
  const side = layout.width + 18;
  let keyTop: number | undefined;
  if (spec.legend === 'colorbar' && continuous !== undefined) {
    const barH = Math.max(90, Math.min(layout.height, 320));
    const bar = colorBar(side, top, barH, continuous, domain, spec.colorbarLabel);
    parts.push(bar.body);
    width = side + bar.width;
    height = Math.max(height, top + barH);
    keyTop = top + barH + 10;
  } else if (Array.isArray(spec.legend)) {
    const lg = legendBlock(side, top, layout.height, spec.legend as readonly LegendEntry[]);
    parts.push(lg.body);
    width = side + lg.width;
    height = Math.max(height, top + lg.height);
    keyTop = top + lg.height + 8;
  }
  if (anyEmpty && keyTop !== undefined) {
    // A key for empty cells, separate from the colour bar / class legend.
    parts.push(`<g class="empty-key" transform="translate(${px(side)},${px(keyTop)})"><rect width="12" height="12" fill="${EMPTY_FILL}" stroke="${EMPTY_STROKE}" stroke-width="0.6"/><path d="M2.5 9.5L9.5 2.5" stroke="${HATCH}" stroke-width="1"/><text x="17" y="10" font-size="10" fill="#333333">no data</text></g>`);
    width = Math.max(width, side + 17 + textWidth('no data', 10));
    height = Math.max(height, keyTop + 12);
  }
  if (spec.note !== undefined && spec.note !== '') {
    parts.push(`<text class="note" x="0" y="${px(height + 15)}" font-size="10.5" fill="#444444">${escapeXml(spec.note)}</text>`);
    width = Math.max(width, textWidth(spec.note, 10.5));
    height += 20;
  }
  return { body: parts.join(''), width, height };
}
