import type { MapData } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import { makeMapData } from './makeMapData.js';

/**
 * One feature's plane of the codebook (a component plane).
 * @param weights - codebook [u, d] row-major
 * @param d - features per unit
 * @param feature - 0 ≤ feature < d
 * @returns values [u] = weights[:, feature]
 */
export function componentMap(grid: Grid, weights: Float32Array, d: number, feature: number): MapData {
  const values = new Float32Array(grid.units);
  for (let u = 0; u < grid.units; u++) values[u] = weights[u * d + feature]!;
  return makeMapData(grid, 'component', values, `Feature ${feature}`);
}
