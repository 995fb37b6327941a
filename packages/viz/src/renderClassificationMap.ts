import type { MapData } from '@somkit/plugin-api';
import type { MapStyle } from './MapStyle.js';
import { renderMap } from './renderMap.js';

/**
 * Classification map: majority class per unit in categorical colours, with a legend of the
 * classes present on the map (at most `style.maxLegendEntries`, default 24, then "… and M
 * more"); units without samples (NaN) are light grey and hatched. Every finite id is a class,
 * −1 included: there is no noise on a classification map (that is the cluster map's −1).
 * @param map - a `classification` map, values [u] = class id or NaN
 * @param classNames - `classNames[id]` names class `id`; ids without a name show as `class <id>`
 */
export function renderClassificationMap(map: MapData, classNames?: readonly string[], style: MapStyle = {}): string {
  return renderMap(map, { title: 'Classification map', scheme: 'categorical', ...(classNames === undefined ? {} : { classNames }), ...style });
}
