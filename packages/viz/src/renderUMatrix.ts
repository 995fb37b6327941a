import type { MapData } from '@somkit/plugin-api';
import type { MapStyle } from './MapStyle.js';
import { renderMap } from './renderMap.js';

/**
 * U-matrix: the normalised distance of each unit to its neighbours (viridis: dark = close
 * neighbours, inside a cluster; yellow = far, a cluster border).
 * @param map - a `distance` map, values [u] in [0, 1]
 */
export function renderUMatrix(map: MapData, style: MapStyle = {}): string {
  return renderMap(map, { title: 'U-matrix', colorbarLabel: 'distance to neighbours (normalised)', scheme: 'viridis', ...style });
}
