import { SomError, type Codebook } from '@somkit/plugin-api';
import { drawMapPanel } from './drawMapPanel.js';
import { escapeXml } from './escapeXml.js';
import { px } from './formatNumber.js';
import type { MapStyle } from './MapStyle.js';
import { svgDocument } from './svgDocument.js';
import { validateGeometry } from './validateGeometry.js';

/** Options of {@link renderComponentPlanes}. */
export interface ComponentPlanesStyle extends Pick<MapStyle, 'title' | 'scheme' | 'showValues' | 'hits'> {
  /** Features to draw (indices into the codebook columns). Default: all. */
  features?: readonly number[];
  /** Panels per row. Default: min(features, 4). */
  columns?: number;
  /** Largest side of each panel's cell area, px. Default: 120–200 depending on the panel count. */
  panelSize?: number;
}

/**
 * Component planes as small multiples: one panel per feature with the codebook's values of that
 * feature (its own colour bar), titled with the feature name, in one SVG.
 * @param codebook - weights [u, d] with the grid geometry
 * @param featureNames - [d] names (default `feature k`)
 * @throws SomError ERR_INVALID_INPUT for a feature index outside [0, d)
 *
 * ```ts
 * const svg = renderComponentPlanes(som.getCodebook(), iris().featureNames);
 * ```
 */
export function renderComponentPlanes(codebook: Codebook, featureNames?: readonly string[], style: ComponentPlanesStyle = {}): string {
  validateGeometry(codebook, codebook.units, 'renderComponentPlanes codebook');
  const { weights, units, dims } = codebook;
  if (weights.length !== units * dims) {
    throw new SomError('ERR_SHAPE_MISMATCH', `renderComponentPlanes: codebook.weights has ${weights.length} values, expected units·dims = ${units}·${dims}.`);
  }
  const features = style.features ?? Array.from({ length: dims }, (_, i) => i);
  for (const f of features) {
    if (!Number.isInteger(f) || f < 0 || f >= dims) {
      throw new SomError('ERR_INVALID_INPUT', `renderComponentPlanes: feature ${String(f)} is not a codebook column; expected integers in [0, ${dims - 1}].`);
    }
  }
  if (features.length === 0) throw new SomError('ERR_INVALID_INPUT', 'renderComponentPlanes: features is empty; pass at least one feature index.');
  const columns = Math.max(1, Math.min(style.columns ?? 4, features.length));
  const panelSize = style.panelSize ?? (features.length <= 2 ? 240 : features.length <= 4 ? 200 : features.length <= 8 ? 160 : 130);
  const title = style.title ?? 'Component planes';
  const panels = features.map((f) => {
    const values = new Float32Array(units);
    for (let u = 0; u < units; u++) values[u] = weights[u * dims + f]!;
    const name = featureNames?.[f] ?? `feature ${f}`;
    const drawn = drawMapPanel({
      rows: codebook.rows,
      cols: codebook.cols,
      topology: codebook.topology,
      values,
      title: name,
      size: panelSize,
      scheme: style.scheme === 'diverging' ? 'diverging' : 'viridis',
      showValues: style.showValues ?? false,
      valueName: name,
      hits: style.hits,
      legend: 'colorbar',
    });
    return { f, name, drawn };
  });
  const cellW = Math.max(...panels.map((p) => p.drawn.width)) + 24;
  const cellH = Math.max(...panels.map((p) => p.drawn.height)) + 18;
  const top = 28;
  const parts = [`<text class="figure-title" x="0" y="16" font-size="15" font-weight="600" fill="#111111">${escapeXml(title)}</text>`];
  panels.forEach((p, i) => {
    const x = (i % columns) * cellW;
    const y = top + Math.floor(i / columns) * cellH;
    parts.push(`<g class="panel" data-feature="${p.f}" transform="translate(${px(x)},${px(y)})">${p.drawn.body}</g>`);
  });
  const rowsOfPanels = Math.ceil(panels.length / columns);
  return svgDocument(parts.join(''), columns * cellW - 24, top + rowsOfPanels * cellH - 18, title, 'component-planes');
}
