import { SomError, type MapData } from '@somkit/plugin-api';
import { categoryLegend } from './categoryLegend.js';
import { drawMapPanel, type PanelSpec } from './drawMapPanel.js';
import type { MapStyle } from './MapStyle.js';
import { formatNumber } from './formatNumber.js';
import { svgDocument } from './svgDocument.js';
import { validateGeometry } from './validateGeometry.js';

const TITLES: Record<string, string> = {
  hit: 'Hit map',
  distance: 'U-matrix',
  metric: 'Target per unit',
  score: 'Score (representativeness, lower = better)',
  rank: 'Rank by target std (1 = highest)',
  classification: 'Classification map',
  component: 'Component plane',
  cluster: 'Cluster map',
};

const CATEGORICAL_TYPES = new Set(['classification', 'cluster']);

/** Builds the panel spec of a map with a style (shared by the renderers). */
export function mapPanelSpec(map: MapData, style: MapStyle = {}): PanelSpec {
  validateGeometry(map, map.values?.length ?? -1, `map '${String(map.type)}'`);
  const requested = style.scheme ?? 'auto';
  let scheme: PanelSpec['scheme'];
  if (requested !== 'auto') scheme = requested;
  else if (CATEGORICAL_TYPES.has(map.type)) scheme = 'categorical';
  else {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of map.values) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    scheme = lo < 0 && hi > 0 ? 'diverging' : 'viridis';
  }
  const maxLegend = style.maxLegendEntries;
  if (maxLegend !== undefined && !(Number.isInteger(maxLegend) && maxLegend >= 1)) {
    throw new SomError('ERR_INVALID_INPUT', `renderMap: maxLegendEntries must be an integer ≥ 1, got ${String(maxLegend)}.`);
  }
  const names = style.classNames;
  // Only cluster maps have noise (−1); on classification and category maps −1 is a real class
  // and empty units are NaN.
  const isCluster = map.type === 'cluster';
  const unnamed = (v: number): string => (isCluster ? `cluster ${formatNumber(v)}` : `class ${formatNumber(v)}`);
  const key = scheme === 'categorical' ? categoryLegend(map.values, { names, noise: isCluster, unnamed, maxEntries: maxLegend }) : undefined;
  const nameOf = (v: number): string => (isCluster && v < 0 ? 'noise' : (Number.isInteger(v) && v >= 0 ? names?.[v] : undefined) ?? unnamed(v));
  const valueName = map.label ?? (map.type === 'hit' ? 'Hits' : 'Value');
  return {
    rows: map.rows,
    cols: map.cols,
    topology: map.topology,
    values: map.values,
    title: style.title ?? (map.type === 'metric' && map.label !== undefined ? map.label : TITLES[map.type] ?? map.label ?? map.type),
    size: style.size ?? 480,
    scheme,
    domain: style.domain,
    showValues: style.showValues ?? map.type === 'hit',
    valueName,
    formatValue: scheme === 'categorical' ? nameOf : undefined,
    colorOf: key?.color,
    hits: style.hits,
    legend: style.legend === false ? 'none' : key !== undefined ? key.entries : 'colorbar',
    colorbarLabel: style.colorbarLabel ?? valueName,
  };
}

/**
 * Renders any per-unit map (hit, U-matrix, metric, score, rank, classification, component,
 * cluster) as a standalone SVG string, on rectangular or hexagonal grids. No DOM needed.
 * @param map - plain map data, values [u] (NaN = empty unit)
 * @param style - see {@link MapStyle}
 * @returns an `<svg>` document string
 * @throws SomError ERR_SHAPE_MISMATCH when values.length ≠ rows·cols; ERR_INVALID_INPUT for a bad maxLegendEntries
 *
 * ```ts
 * const svg = renderMap(await buildMap(som, 'metric', { data, target, reduction: 'std' }));
 * ```
 */
export function renderMap(map: MapData, style: MapStyle = {}): string {
  const spec = mapPanelSpec(map, style);
  const drawn = drawMapPanel(spec);
  return svgDocument(drawn.body, drawn.width, drawn.height, spec.title ?? map.type, map.type);
}
