import type { MapData } from '@somkit/plugin-api';
import type { MapStyle } from './MapStyle.js';
import { renderMap } from './renderMap.js';

/**
 * U-matrix: the normalised distance of each unit to its neighbours (viridis: dark = close
 * neighbours, inside a cluster; yellow = far, a cluster border). Build the map with
 * `buildMap(som, 'distance', { scaling: 'mean' })` (as `buildReport` does): the default `'sum'`
 * (TorchSOM's) adds up fewer distances at the edges and corners, which then look darker.
 * @param map - a `distance` map, values [u] in [0, 1]
 *
 * ```ts
 * const svg = renderUMatrix(await buildMap(som, 'distance', { scaling: 'mean' }));
 * ```
 */
export function renderUMatrix(map: MapData, style: MapStyle = {}): string {
  return renderMap(map, { title: 'U-matrix', colorbarLabel: 'distance to neighbours (÷ max; dark = close)', scheme: 'viridis', ...style });
}
