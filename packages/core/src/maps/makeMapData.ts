import type { MapData } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';

/** Wraps per-unit values [u] with the grid's geometry as a plain {@link MapData}. */
export function makeMapData(grid: Grid, type: string, values: Float32Array, label: string): MapData {
  return { type, values, rows: grid.rows, cols: grid.cols, topology: grid.topology, pbc: grid.pbc, label };
}
