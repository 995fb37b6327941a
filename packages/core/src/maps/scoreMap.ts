import type { MapData } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import { makeMapData } from './makeMapData.js';
import { memberStats } from './memberStats.js';

/** Floor of the representativeness score (TorchSOM). */
export const SCORE_FLOOR = 1e-8;

/**
 * Representativeness score per unit (TorchSOM `score`, lower = better): for n > 1 samples,
 * `max(std/√n · ln(N/n), 1e-8)` with the unbiased std; n = 1 → 1e-8; empty → NaN.
 * @param members - [u] sample indices per unit
 * @param target - [n] values
 * @param total - N, the total number of samples
 */
export function scoreMap(grid: Grid, members: Int32Array[], target: Float64Array, total: number): MapData {
  const values = new Float32Array(grid.units);
  for (let u = 0; u < grid.units; u++) {
    const s = memberStats(target, members[u]!);
    values[u] =
      s.n === 0 ? Number.NaN :
      s.n === 1 ? SCORE_FLOOR :
      Math.max((s.std / Math.sqrt(s.n)) * Math.log(total / s.n), SCORE_FLOOR);
  }
  return makeMapData(grid, 'score', values, 'Score');
}
