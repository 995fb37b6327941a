import type { MapData } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import { makeMapData } from './makeMapData.js';
import { memberStats } from './memberStats.js';

/**
 * Per-unit mean or unbiased std of a numeric target (TorchSOM `metric`). Empty units are NaN;
 * a single-sample unit has std 0.
 * @param members - [u] sample indices per unit
 * @param target - [n] values
 */
export function metricMap(grid: Grid, members: Int32Array[], target: Float64Array, reduction: 'mean' | 'std'): MapData {
  const values = new Float32Array(grid.units);
  for (let u = 0; u < grid.units; u++) {
    const s = memberStats(target, members[u]!);
    values[u] = reduction === 'mean' ? s.mean : s.std;
  }
  return makeMapData(grid, 'metric', values, reduction === 'mean' ? 'Mean of target' : 'Std of target');
}
