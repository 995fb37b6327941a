import type { MapData } from '@somkit/plugin-api';
import type { MapStyle } from './MapStyle.js';
import { renderMap } from './renderMap.js';

/**
 * Classification map: majority class per unit in categorical colours, with a legend that lists
 * every class name; units without samples are light grey.
 * @param map - a `classification` map, values [u] = class id or NaN
 * @param classNames - name of each class id
 */
export function renderClassificationMap(map: MapData, classNames?: readonly string[], style: MapStyle = {}): string {
  return renderMap(map, { title: 'Classification map', scheme: 'categorical', ...(classNames === undefined ? {} : { classNames }), ...style });
}
