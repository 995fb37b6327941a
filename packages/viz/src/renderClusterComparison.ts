import { SomError } from '@somkit/plugin-api';
import { escapeXml } from './escapeXml.js';
import { attrNumber, formatNumber, px } from './formatNumber.js';
import { svgDocument } from './svgDocument.js';
import { clusterScore } from './clusterScore.js';
import type { ClusterMetricsData } from './ClusterMetricsData.js';

export type { ClusterMetricsData } from './ClusterMetricsData.js';

/** One row of {@link renderClusterComparison}: a clustering result or a summary of one. */
export interface ClusterComparisonEntry {
  /** e.g. 'kmeans', 'gmm', 'hdbscan'. */
  readonly method: string;
  /** Number of clusters (noise not counted). */
  readonly k: number;
  readonly metrics: ClusterMetricsData;
  /** Clustering space ('weights', 'positions', 'combined'); shown when the rows differ in it. */
  readonly space?: string;
  /** Row label. Default `method (k = …)`. */
  readonly label?: string;
}

/** Options of {@link renderClusterComparison}. */
export interface ClusterComparisonStyle {
  /** Default 'Clustering comparison'. */
  title?: string;
}

interface Column {
  readonly key: keyof ClusterMetricsData | 'score';
  readonly name: string;
  readonly better: 'higher' | 'lower';
  readonly show: (v: number) => string;
}

const COLUMNS: readonly Column[] = [
  { key: 'score', name: 'Score', better: 'higher', show: (v) => formatNumber(v, 3) },
  { key: 'silhouette', name: 'Silhouette', better: 'higher', show: (v) => formatNumber(v, 3) },
  { key: 'daviesBouldin', name: 'Davies–Bouldin', better: 'lower', show: (v) => formatNumber(v, 3) },
  { key: 'calinskiHarabasz', name: 'Calinski–Harabasz', better: 'higher', show: (v) => formatNumber(v, 3) },
  { key: 'topologicalCoherence', name: 'Topol. coherence', better: 'higher', show: (v) => formatNumber(v, 3) },
  { key: 'noiseRatio', name: 'Noise share', better: 'lower', show: (v) => `${formatNumber(v * 100, 3)} %` },
];

const TOP = 28;
const HEAD_H = 38;
const ROW_H = 26;
const COL_W = 118;
const BAR_AREA = 62;
const BAR_COLOR = '#a0bfdf';
const BEST_COLOR = '#4e79a7';
const CHAR_W = 0.6;

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
}


/**
 * Clustering comparison (TorchSOM `plot_cluster_quality_comparison`; also what its broken
 * `plot_clustering_comparison_grid` was meant to show): one row per result, one column per score
 * — the ranking score ({@link clusterScore}: silhouette with noise units counted as 0),
 * silhouette, Davies–Bouldin (**lower is better**), Calinski–Harabasz (these three over the
 * non-noise units), topological coherence and noise share — each cell a bar scaled within its
 * column plus the value. **Best** is one rule: the row(s) with the highest score get a ★ and a
 * bold label and score; in every other column a dark bar marks that column's best value (a
 * description, not the verdict). Nothing is marked when the rows do not differ. Undefined scores
 * (NaN) show as '–'. Compare results clustered in the same space only.
 * @param results - e.g. `[await cluster(cb, { method: 'kmeans' }), await cluster(cb, { method: 'gmm' })]`
 * @throws SomError ERR_EMPTY_INPUT (no results), ERR_INVALID_INPUT (a row without method, k or metrics)
 *
 * ```ts
 * const svg = renderClusterComparison([km, gmm, hdb]);
 * ```
 */
export function renderClusterComparison(results: readonly ClusterComparisonEntry[], style: ClusterComparisonStyle = {}): string {
  if (!Array.isArray(results)) throw new SomError('ERR_INVALID_INPUT', 'renderClusterComparison: expected an array of results { method, k, metrics }.');
  if (results.length === 0) throw new SomError('ERR_EMPTY_INPUT', 'renderClusterComparison: expected at least one result, got an empty array.');
  results.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || typeof r.method !== 'string' || typeof r.metrics !== 'object' || r.metrics === null) {
      throw new SomError('ERR_INVALID_INPUT', `renderClusterComparison: result ${i} needs { method: string, k: number, metrics: { silhouette, daviesBouldin, … } }.`);
    }
  });
  const title = style.title ?? 'Clustering comparison';
  const spaces = new Set(results.map((r) => r.space));
  const scores = results.map((r) => clusterScore(r.metrics));
  const finiteScores = scores.filter((v) => Number.isFinite(v));
  const topScore = Math.max(...finiteScores);
  // The best row(s) by the one rule; none when fewer than two rows have a score or all tie.
  const isBestRow = scores.map((v) => finiteScores.length > 1 && new Set(finiteScores).size > 1 && v === topScore);
  const labels = results.map((r, i) => `${isBestRow[i] ? '★ ' : ''}${r.label ?? `${r.method} (k = ${Number.isFinite(r.k) ? r.k : '–'})${spaces.size > 1 && r.space !== undefined ? `, ${r.space}` : ''}`}`);
  const labelW = Math.max(70, ...labels.map((l) => l.length * 11 * CHAR_W)) + 14;
  const parts: string[] = [`<text class="figure-title" x="0" y="16" font-size="15" font-weight="600" fill="#111111">${escapeXml(title)}</text>`];
  const tableTop = TOP + HEAD_H;
  const tableH = results.length * ROW_H;
  // Row stripes and labels.
  results.forEach((_, i) => {
    const y = tableTop + i * ROW_H;
    if (i % 2 === 0) parts.push(`<rect x="0" y="${y}" width="${px(labelW + COLUMNS.length * COL_W)}" height="${ROW_H}" fill="#f6f7f9"/>`);
    parts.push(`<text class="row-label${isBestRow[i] ? ' best' : ''}" data-row="${i}" x="4" y="${px(y + ROW_H / 2 + 4)}" font-size="11"${isBestRow[i] ? ' font-weight="700"' : ''} fill="#222222">${escapeXml(labels[i]!)}</text>`);
  });
  COLUMNS.forEach((col, j) => {
    const x0 = labelW + j * COL_W;
    const vals = col.key === 'score' ? scores : results.map((r) => num((r.metrics as unknown as Record<string, unknown>)[col.key]));
    const finite = vals.filter((v) => Number.isFinite(v));
    const best = finite.length === 0 ? Number.NaN : col.better === 'higher' ? Math.max(...finite) : Math.min(...finite);
    // Mark a best value only when the rows differ.
    const distinct = new Set(finite).size > 1;
    const lo = Math.min(0, ...finite);
    const hi = Math.max(0, ...finite);
    const span = hi - lo || 1;
    const bx = (v: number): number => x0 + 6 + ((v - lo) / span) * BAR_AREA;
    parts.push(
      `<g class="column-head" data-metric="${col.key}"><text x="${x0 + 6}" y="${TOP + 15}" font-size="11" font-weight="600" fill="#222222">${escapeXml(col.name)}</text>` +
        `<text class="better" x="${x0 + 6}" y="${TOP + 29}" font-size="10" fill="${col.better === 'lower' ? '#b3541e' : '#3b7a3b'}">${col.better === 'lower' ? '↓ lower is better' : '↑ higher is better'}</text></g>`,
    );
    const cells: string[] = [];
    vals.forEach((v, i) => {
      const y = tableTop + i * ROW_H;
      if (!Number.isFinite(v)) {
        cells.push(`<text class="value missing" data-row="${i}" x="${x0 + 6 + BAR_AREA + 6}" y="${px(y + ROW_H / 2 + 4)}" font-size="11" fill="#888888">–</text>`);
        return;
      }
      const isBest = distinct && v === best;
      // Bold text only for the verdict (the score of the best row); other columns' bests get the dark bar.
      const bold = col.key === 'score' && isBestRow[i]!;
      const a = bx(Math.min(0, v));
      const b = bx(Math.max(0, v));
      cells.push(
        `<rect class="bar${isBest ? ' best' : ''}" data-row="${i}" data-value="${attrNumber(v)}" x="${px(a)}" y="${px(y + 6)}" width="${px(b - a)}" height="${ROW_H - 12}" fill="${isBest ? BEST_COLOR : BAR_COLOR}"/>` +
          `<text class="value${bold ? ' best' : ''}" data-row="${i}" x="${x0 + 6 + BAR_AREA + 6}" y="${px(y + ROW_H / 2 + 4)}" font-size="11"${bold ? ' font-weight="700"' : ''} fill="#222222">${escapeXml(col.show(v))}</text>`,
      );
    });
    if (lo < 0) cells.push(`<line class="zero" x1="${px(bx(0))}" y1="${tableTop}" x2="${px(bx(0))}" y2="${tableTop + tableH}" stroke="#777777" stroke-width="0.8"/>`);
    parts.push(`<g class="column" data-metric="${col.key}">${cells.join('')}</g>`);
  });
  const width = labelW + COLUMNS.length * COL_W;
  parts.push(`<line x1="0" y1="${tableTop}" x2="${px(width)}" y2="${tableTop}" stroke="#444444" stroke-width="0.8"/>`);
  parts.push(`<line x1="0" y1="${tableTop + tableH}" x2="${px(width)}" y2="${tableTop + tableH}" stroke="#444444" stroke-width="0.8"/>`);
  const notes = [
    '★ Best: highest score = silhouette × (1 − noise share), i.e. noise units count as silhouette 0.',
    'Dark bar: best value of its column. Davies–Bouldin and noise share: lower is better; the others: higher is better.',
    'Silhouette, Davies–Bouldin and Calinski–Harabasz are over the non-noise units.',
    "'–': undefined (fewer than 2 clusters). Compare results clustered in the same space only.",
  ];
  notes.forEach((n, i) => parts.push(`<text class="note" x="0" y="${tableTop + tableH + 18 + i * 15}" font-size="10.5" fill="#444444">${escapeXml(n)}</text>`));
  return svgDocument(parts.join(''), Math.max(width, ...notes.map((n) => n.length * 10.5 * CHAR_W)), tableTop + tableH + 18 + (notes.length - 1) * 15 + 4, title, 'cluster-comparison');
}
