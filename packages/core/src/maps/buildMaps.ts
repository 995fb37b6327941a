import { SomError, type MapData } from '@somkit/plugin-api';
import type { MapSource } from './MapSource.js';
import { buildMap } from './buildMap.js';
import { MAP_TYPES, SAMPLE_MAP_TYPES, type BmusData, type MapOptions, type MapSpec } from './MapOptions.js';
import { mapKey } from './mapKey.js';
import { resolveBmus } from './resolveBmus.js';

/** Inputs shared by every map of {@link buildMaps}. */
export type SharedMapInputs = Pick<MapOptions, 'data' | 'target' | 'bmus'>;

/**
 * Builds several maps with one BMU search (TorchSOM's `plot_all` pattern).
 * @param som - a trained model (a `SOM`, or any {@link MapSource})
 * @param specs - map requests, e.g. `[{ type: 'hit' }, { type: 'metric', reduction: 'std' }]`
 * @param shared - `data` [n, dims] (or `bmus` [n]) and `target` [n], shared by all requests
 * @returns results keyed by {@link mapKey}: the type, or `type_<sorted options>` when options are given
 * @throws SomError as {@link buildMap}
 *
 * ```ts
 * const maps = await buildMaps(som, [{ type: 'hit' }, { type: 'distance' }, { type: 'classification' }], { data: x, target: y });
 * maps.hit.values; // [u]
 * ```
 */
export async function buildMaps(som: MapSource, specs: readonly MapSpec[], shared: SharedMapInputs = {}): Promise<Record<string, MapData | BmusData>> {
  if (!Array.isArray(specs)) {
    throw new SomError('ERR_INVALID_INPUT', `buildMaps: expected an array of map requests like [{ type: 'hit' }], got ${specs === null ? 'null' : typeof specs}.`);
  }
  for (const [i, s] of specs.entries()) {
    if (typeof s !== 'object' || s === null || !(MAP_TYPES as readonly string[]).includes((s as { type?: unknown }).type as string)) {
      const t = typeof s === 'object' && s !== null ? (s as { type?: unknown }).type : s;
      throw new SomError('ERR_INVALID_INPUT', `buildMaps: request ${i} has unknown map type ${typeof t === 'string' ? `'${t}'` : String(t)}. Valid types: ${MAP_TYPES.map((x) => `'${x}'`).join(', ')}.`);
    }
  }
  const needsSamples = specs.some((s) => SAMPLE_MAP_TYPES.includes(s.type));
  const bmus = needsSamples ? await resolveBmus(som, shared, `buildMaps (${specs.filter((s) => SAMPLE_MAP_TYPES.includes(s.type)).map((s) => `'${s.type}'`).join(', ')})`) : undefined;
  const out: Record<string, MapData | BmusData> = {};
  for (const spec of specs) {
    const { type, ...rest } = spec;
    const opts: MapOptions = { ...rest, ...(shared.target === undefined ? {} : { target: shared.target }), ...(bmus === undefined ? {} : { bmus }) };
    out[mapKey(spec)] = await buildMap(som, type, opts);
  }
  return out;
}
