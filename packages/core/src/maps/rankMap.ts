import type { MapData } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import { makeMapData } from './makeMapData.js';
import { memberStats } from './memberStats.js';

/**
 * Rank of each unit by the unbiased std of its target values, descending (TorchSOM `rank`):
 * 1 = highest std. Single-sample units have std 0; equal stds rank by unit index (ascending),
 * so the result is deterministic. Empty units are NaN.
 * @param members - [u] sample indices per unit
 * @param target - [n] values
 */
export function rankMap(grid: Grid, members: Int32Array[], target: Float64Array): MapData {
  const stds: { unit: number; std: number }[] = [];
  for (let u = 0; u < grid.units; u++) {
    if (members[u]!.length > 0) stds.push({ unit: u, std: memberStats(target, members[u]!).std });
  }
  stds.sort((a, b) => b.std - a.std || a.unit - b.unit);
  const values = new Float32Array(grid.units).fill(Number.NaN);
  stds.forEach((s, i) => {
    values[s.unit] = i + 1;
  });
  return makeMapData(grid, 'rank', values, 'Rank (1 = highest std)');
}
