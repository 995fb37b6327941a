import { API_VERSION, type Json, type MapData, type Renderer, type RenderStyle } from '@somkit/plugin-api';
import type { ColorScheme, MapStyle } from './MapStyle.js';
import { renderMap } from './renderMap.js';

/** JSON-serializable defaults of an {@link svgRenderer} (a subset of {@link MapStyle}). */
export type SvgRendererOptions = { readonly [key: string]: Json | undefined };

const SCHEMES: readonly ColorScheme[] = ['auto', 'viridis', 'diverging', 'categorical'];

/** Reads the known {@link MapStyle} fields of a free-form style; unknown or ill-typed fields are ignored. */
function toMapStyle(s: RenderStyle): MapStyle {
  const out: MapStyle = {};
  const str = (k: string): string | undefined => (typeof s[k] === 'string' ? (s[k] as string) : undefined);
  const nums = (k: string): number[] | undefined => (Array.isArray(s[k]) && (s[k] as Json[]).every((x) => typeof x === 'number') ? (s[k] as number[]) : undefined);
  const title = str('title');
  if (title !== undefined) out.title = title;
  const label = str('colorbarLabel');
  if (label !== undefined) out.colorbarLabel = label;
  const scheme = str('scheme');
  if (scheme !== undefined && (SCHEMES as readonly string[]).includes(scheme)) out.scheme = scheme as ColorScheme;
  const domain = nums('domain');
  if (domain !== undefined && domain.length === 2) out.domain = [domain[0]!, domain[1]!];
  if (typeof s.showValues === 'boolean') out.showValues = s.showValues;
  if (typeof s.legend === 'boolean') out.legend = s.legend;
  if (typeof s.size === 'number') out.size = s.size;
  if (typeof s.maxLegendEntries === 'number') out.maxLegendEntries = s.maxLegendEntries;
  if (Array.isArray(s.classNames) && s.classNames.every((x) => typeof x === 'string')) out.classNames = s.classNames as string[];
  const hits = nums('hits');
  if (hits !== undefined) out.hits = hits;
  return out;
}

/**
 * The SVG renderer as a plugin object (kind `'renderer'`, name `'svg'`): `render(map, style)`
 * returns an SVG string. Options are default style fields, overridden per call.
 *
 * ```ts
 * const r = svgRenderer({ size: 400 });
 * const svg = r.render(await buildMap(som, 'distance'), { title: 'U-matrix' });
 * ```
 */
export function svgRenderer(options?: SvgRendererOptions): Renderer<string, SvgRendererOptions | undefined> {
  const defaults = options === undefined ? undefined : (JSON.parse(JSON.stringify(options)) as SvgRendererOptions);
  return Object.freeze({
    kind: 'renderer' as const,
    name: 'svg',
    apiVersion: API_VERSION,
    options: defaults,
    render(map: MapData, style?: RenderStyle): string {
      return renderMap(map, toMapStyle({ ...(defaults ?? {}), ...(style ?? {}) }));
    },
  });
}
