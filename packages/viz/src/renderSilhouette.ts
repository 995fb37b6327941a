import { SomError } from '@somkit/plugin-api';
import { categoricalColor } from '@somkit/geometry';
import { escapeXml } from './escapeXml.js';
import { attrNumber, formatNumber, px } from './formatNumber.js';
import { niceTicks } from './niceTicks.js';
import { checkLabels, densePoints, silhouetteDenseSamples, type SilhouettePoints } from '@somkit/geometry';
import { svgDocument } from './svgDocument.js';

/** Options of {@link renderSilhouette}. */
export interface SilhouetteStyle {
  /**
   * Precomputed per-sample silhouette values [n] (e.g. from scikit-learn or
   * {@link silhouetteSamples}); the points are then not needed (pass `null`). Noise entries are ignored.
   */
  values?: ArrayLike<number>;
  /** Names of the cluster ids (default `cluster k`), as for `renderClusterMap`. */
  classNames?: readonly string[];
  /** Default 'Silhouette analysis'. */
  title?: string;
  /** Plot-area width, px. Default 420. */
  width?: number;
  /** Plot-area height, px. Default: 4 px per sample, within 180–460. */
  height?: number;
}

const LEFT = 46;
const TOP = 44;
const PAD = 6;
const GAP = 8;
const MEAN_COLOR = '#d62728';
const CHAR_W = 0.6;

/**
 * Silhouette plot (TorchSOM `plot_silhouette_analysis`, the classic scikit-learn figure): for
 * each cluster a band of horizontal bars, one per sample, sorted from highest to lowest
 * silhouette, in the cluster's categorical colour (the same colours as `renderClusterMap`), a
 * dashed line at the mean silhouette, and a legend with each cluster's size and mean. Noise
 * samples (label −1) are left out and counted in a note. Values near 1: well inside the cluster;
 * near 0: on a border; negative: closer to another cluster.
 * @param points - [n, d] the vectors that were clustered (for a SOM: the codebook in the
 *   clustering space), or `null` with `style.values`
 * @param labels - [n] cluster ids (0-based, −1 = noise)
 * @throws SomError ERR_SHAPE_MISMATCH (labels/values ≠ n), ERR_INVALID_INPUT, ERR_NON_FINITE
 *
 * ```ts
 * const cb = som.getCodebook();
 * const res = await cluster(cb, { method: 'kmeans', k: 3 });
 * const svg = renderSilhouette({ data: cb.weights, shape: [cb.units, cb.dims] }, res.labels);
 * ```
 */
export function renderSilhouette(points: SilhouettePoints | null | undefined, labels: Int32Array | readonly number[], style: SilhouetteStyle = {}): string {
  let lab: Int32Array;
  let values: ArrayLike<number>;
  if (style.values !== undefined) {
    const given = style.values;
    if (given === null || typeof given !== 'object' || typeof given.length !== 'number') throw new SomError('ERR_INVALID_INPUT', 'renderSilhouette: values must be an array of numbers (one per sample).');
    lab = checkLabels(labels, given.length, 'renderSilhouette (labels vs values)');
    values = given;
  } else {
    if (points === null || points === undefined) throw new SomError('ERR_INVALID_INPUT', 'renderSilhouette: pass the points [n, d], or precomputed style.values.');
    const x = densePoints(points, 'renderSilhouette points');
    lab = checkLabels(labels, x.n, 'renderSilhouette');
    values = silhouetteDenseSamples(x, lab);
  }
  const title = style.title ?? 'Silhouette analysis';
  const names = style.classNames;
  const nameOf = (c: number): string => names?.[c] ?? `cluster ${c}`;
  // Members of each cluster, noise apart.
  const members = new Map<number, number[]>();
  let nNoise = 0;
  for (let i = 0; i < lab.length; i++) {
    const c = lab[i]!;
    if (c < 0) nNoise++;
    else (members.get(c) ?? members.set(c, []).get(c)!).push(i);
  }
  const ids = [...members.keys()].sort((a, b) => a - b);
  const k = ids.length;
  const m = lab.length - nNoise;
  const noiseNote = nNoise > 0 ? `${nNoise} noise sample${nNoise === 1 ? '' : 's'} (label −1) left out` : '';
  const w = style.width ?? 420;
  const parts: string[] = [`<text class="figure-title" x="0" y="16" font-size="15" font-weight="600" fill="#111111">${escapeXml(title)}</text>`];

  if (k < 2 || k >= m) {
    // Undefined: say why instead of drawing bars.
    const h = 120;
    const msg = k < 2 ? `The silhouette needs at least 2 clusters; found ${k}.` : 'Every sample is its own cluster; the silhouette is undefined.';
    parts.push(`<rect x="${LEFT}" y="${TOP}" width="${w}" height="${h}" fill="#fafafa" stroke="#dddddd" stroke-width="0.8"/>`);
    parts.push(`<text class="empty-message" x="${px(LEFT + w / 2)}" y="${px(TOP + h / 2)}" text-anchor="middle" font-size="12" fill="#777777">${escapeXml(msg)}</text>`);
    let height = TOP + h;
    if (noiseNote !== '') {
      parts.push(`<text class="note" x="${LEFT}" y="${px(height + 18)}" font-size="10.5" fill="#444444">${escapeXml(noiseNote)}</text>`);
      height += 24;
    }
    return svgDocument(parts.join(''), LEFT + w + 10, height, title, 'silhouette');
  }

  let sum = 0;
  let vmin = 0;
  for (const c of ids) {
    for (const i of members.get(c)!) {
      const v = values[i]!;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new SomError('ERR_NON_FINITE', `renderSilhouette: expected a finite silhouette value for sample ${i} (cluster ${c}), got ${String(v)}.`, { details: { sample: i } });
      if (v < -1 - 1e-6 || v > 1 + 1e-6) throw new SomError('ERR_INVALID_INPUT', `renderSilhouette: silhouette values lie in [−1, 1], got ${v} for sample ${i}.`);
      sum += v;
      vmin = Math.min(vmin, v);
    }
  }
  const mean = sum / m;
  const h = style.height ?? Math.max(180, Math.min(460, m * 4 + (k - 1) * GAP + 2 * PAD));
  const barH = Math.max(0, (h - 2 * PAD - (k - 1) * GAP) / m);
  const lo = Math.min(-0.1, Math.floor(vmin * 10) / 10);
  const hi = 1;
  const sx = (v: number): number => LEFT + ((v - lo) / (hi - lo)) * w;
  const bottom = TOP + h;
  parts.push(`<rect x="${LEFT}" y="${TOP}" width="${w}" height="${px(h)}" fill="#fafafa" stroke="#dddddd" stroke-width="0.8"/>`);
  for (const t of niceTicks(lo, hi, 6)) {
    const x = sx(t);
    parts.push(`<line x1="${px(x)}" y1="${TOP}" x2="${px(x)}" y2="${px(bottom)}" stroke="#e6e6e6" stroke-width="0.8"/>`);
    parts.push(`<line class="tick" x1="${px(x)}" y1="${px(bottom)}" x2="${px(x)}" y2="${px(bottom + 4)}" stroke="#444444"/>`);
    parts.push(`<text class="tick-label" x="${px(x)}" y="${px(bottom + 15)}" text-anchor="middle" font-size="10" fill="#333333">${escapeXml(formatNumber(t))}</text>`);
  }
  // Bands, top to bottom in label order; bars sorted high → low inside each band.
  const solid = barH >= 3;
  const stats: { c: number; size: number; mean: number }[] = [];
  let y = TOP + PAD;
  for (const c of ids) {
    const list = members.get(c)!.slice().sort((a, b) => values[b]! - values[a]! || a - b);
    const cMean = list.reduce((s, i) => s + values[i]!, 0) / list.length;
    stats.push({ c, size: list.length, mean: cMean });
    const color = categoricalColor(c);
    const bandTop = y;
    const bars: string[] = [];
    for (const i of list) {
      const v = values[i]!;
      const x0 = sx(Math.min(0, v));
      const bw = Math.abs(sx(v) - sx(0));
      // Thin bars overlap a little so a dense band shows no seams; thick ones keep a gap.
      const bh = solid ? barH * 0.88 : barH + 0.3;
      bars.push(`<rect class="bar" data-sample="${i}" data-cluster="${c}" data-value="${attrNumber(v)}" x="${px(x0)}" y="${px(y)}" width="${px(bw)}" height="${px(bh)}" fill="${color}"/>`);
      y += barH;
    }
    const tip = `${nameOf(c)}: ${list.length} sample${list.length === 1 ? '' : 's'}, mean silhouette ${formatNumber(cMean, 3)}`;
    parts.push(`<g class="silhouette-cluster" data-cluster="${c}" data-size="${list.length}" data-mean="${attrNumber(cMean)}"><title>${escapeXml(tip)}</title>${bars.join('')}</g>`);
    parts.push(`<text class="band-label" x="${LEFT - 6}" y="${px((bandTop + y) / 2 + 3.5)}" text-anchor="end" font-size="10.5" fill="#222222">${c}</text>`);
    y += GAP;
  }
  // Axes: bottom, and the zero line.
  parts.push(`<line class="axis" x1="${LEFT}" y1="${px(bottom)}" x2="${px(LEFT + w)}" y2="${px(bottom)}" stroke="#444444"/>`);
  parts.push(`<line class="axis" x1="${px(sx(0))}" y1="${TOP}" x2="${px(sx(0))}" y2="${px(bottom)}" stroke="#444444"/>`);
  parts.push(`<text x="${px(LEFT + w / 2)}" y="${px(bottom + 29)}" text-anchor="middle" font-size="11" fill="#333333">silhouette coefficient</text>`);
  parts.push(`<text x="12" y="${px(TOP + h / 2)}" text-anchor="middle" font-size="11" fill="#333333" transform="rotate(-90 12 ${px(TOP + h / 2)})">cluster</text>`);
  // The mean: a dashed line over the bars, labelled above the plot.
  const mx = sx(mean);
  parts.push(
    `<g class="mean" data-value="${attrNumber(mean)}"><line class="mean-line" x1="${px(mx)}" y1="${TOP - 4}" x2="${px(mx)}" y2="${px(bottom)}" stroke="${MEAN_COLOR}" stroke-width="1.5" stroke-dasharray="5 4"/>` +
      `<text class="mean-label" x="${px(mx)}" y="${TOP - 8}" text-anchor="middle" font-size="11" font-weight="600" fill="${MEAN_COLOR}">mean ${escapeXml(formatNumber(mean, 3))}</text></g>`,
  );
  // Legend: colour, name, size and mean of each cluster; noise stated.
  const lx = LEFT + w + 18;
  const entries = stats.map((s) => ({ label: nameOf(s.c), text: `${nameOf(s.c)}: n = ${s.size}, mean ${formatNumber(s.mean, 3)}`, color: categoricalColor(s.c), attrs: ` data-cluster="${s.c}"` }));
  if (nNoise > 0) entries.push({ label: 'noise', text: `noise (−1): ${nNoise} left out`, color: categoricalColor(-1), attrs: '' });
  const rowH = 17;
  const legend = entries.map(
    (e, i) =>
      `<g class="legend-entry" data-label="${escapeXml(e.label)}"${e.attrs}><rect x="0" y="${i * rowH}" width="12" height="12" fill="${e.color}" stroke="#555555" stroke-width="0.5"/><text x="17" y="${i * rowH + 10}" font-size="11" fill="#222222">${escapeXml(e.text)}</text></g>`,
  );
  parts.push(`<g class="legend" transform="translate(${px(lx)},${TOP})">${legend.join('')}</g>`);
  const legendW = 17 + Math.max(...entries.map((e) => e.text.length * 11 * CHAR_W));
  // Summary line under the axis label.
  const summary = `${m} samples in ${k} clusters, mean silhouette ${formatNumber(mean, 3)}${noiseNote === '' ? '' : `; ${noiseNote}`}`;
  parts.push(`<text class="note" x="${LEFT}" y="${px(bottom + 48)}" font-size="10.5" fill="#444444">${escapeXml(summary)}</text>`);
  const width = Math.max(lx + legendW, LEFT + summary.length * 10.5 * CHAR_W);
  const height = Math.max(bottom + 52, TOP + entries.length * rowH);
  return svgDocument(parts.join(''), width, height, title, 'silhouette');
}
