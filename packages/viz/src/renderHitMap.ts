import type { MapData } from '@somkit/plugin-api';
import type { MapStyle } from './MapStyle.js';
import { renderMap } from './renderMap.js';

/**
 * Hit map: samples per unit (viridis, counts written in the cells up to 30×30 units; units
 * without hits are drawn with the lowest colour, value 0).
 * @param map - a `hit` map, values [u]
 */
export function renderHitMap(map: MapData, style: MapStyle = {}): string {
  return renderMap(map, { title: 'Hit map', colorbarLabel: 'samples per unit', ...style });
}
