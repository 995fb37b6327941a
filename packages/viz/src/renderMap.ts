import type { MapData } from '@somkit/plugin-api';
import { categoricalColor } from './categoricalColor.js';
import { drawMapPanel, type LegendEntry, type PanelSpec } from './drawMapPanel.js';
import type { MapStyle } from './MapStyle.js';
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

/** Legend of a categorical map: every named class, then any other id present (ascending), then noise (any id < 0). */
export function categoryLegend(values: ArrayLike<number>, names: readonly string[] | undefined, unnamed: (id: number) => string): LegendEntry[] {
  const ids = new Set<number>();
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) ids.add(values[i]!);
  const named = names?.length ?? 0;
  const out: LegendEntry[] = (names ?? []).map((label, id) => ({ label, color: categoricalColor(id) }));
  const sorted = [...ids].sort((a, b) => a - b);
  for (const id of sorted) if (id >= named) out.push({ label: unnamed(id), color: categoricalColor(id) });
  if (sorted.some((id) => id < 0)) out.push({ label: 'noise', color: categoricalColor(-1) });
  return out;
}

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
  const names = style.classNames;
  const isCluster = map.type === 'cluster';
  const nameOf = (v: number): string => (v < 0 ? 'noise' : names?.[v] ?? (isCluster ? `cluster ${v}` : `class ${v}`));
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
    hits: style.hits,
    legend: style.legend === false ? 'none' : scheme === 'categorical' ? categoryLegend(map.values, names, nameOf) : 'colorbar',
    colorbarLabel: style.colorbarLabel ?? valueName,
  };
}

/**
 * Renders any per-unit map (hit, U-matrix, metric, score, rank, classification, component,
 * cluster) as a standalone SVG string, on rectangular or hexagonal grids. No DOM needed.
 * @param map - plain map data, values [u] (NaN = empty unit)
 * @param style - see {@link MapStyle}
 * @returns an `<svg>` document string
 * @throws SomError ERR_SHAPE_MISMATCH when values.length ≠ rows·cols
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
