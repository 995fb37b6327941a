import type { MapData } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import { makeMapData } from './makeMapData.js';

/**
 * Hit map: how many samples have each unit as BMU (TorchSOM `hit`). Never NaN; sums to n.
 * @param bmus - [n] flat unit indices
 * @returns values [u]
 */
export function hitMap(grid: Grid, bmus: Int32Array): MapData {
  const values = new Float32Array(grid.units);
  for (const b of bmus) values[b]!++;
  return makeMapData(grid, 'hit', values, 'Hits');
}
