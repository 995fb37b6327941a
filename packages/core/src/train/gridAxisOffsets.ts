import { HEX_ROW_SPACING, minimumImage, type Grid } from '@somkit/geometry';

/**
 * The grid's plane offsets per axis, laid out like {@link gridOffsets}' `d2` (same `base` and
 * `offset`): `dRow[base[a] + offset[b]]` and `dCol[…]` are the displacement from unit a to unit
 * b across rows and along columns, in grid units, so `dRow² + dCol² = d2`. Rectangular: the index
 * offsets. Odd-r hexagonal: the plane offsets (rows √3/2 apart, odd rows shifted +½), so an L1 or
 * L∞ kernel is a diamond or square in the plane, not a count of hex steps. Torus: the minimum
 * image per axis (fastsom's toroidal difference). Only kernels that declare `offsetWeights`
 * (`rhomb`, `square`) need it; built once per Grid object, loaded on first use.
 */
export interface GridAxisOffsets {
  readonly dRow: Float32Array;
  readonly dCol: Float32Array;
}

const cache = new WeakMap<Grid, GridAxisOffsets>();

/** The per-axis offset tables of a grid. O(u) memory and time. */
export function gridAxisOffsets(grid: Grid): GridAxisOffsets {
  let t = cache.get(grid);
  if (t === undefined) {
    t = build(grid);
    cache.set(grid, t);
  }
  return t;
}

function build(grid: Grid): GridAxisOffsets {
  const { rows: R, cols: C, pbc } = grid;
  const hex = grid.topology === 'hexagonal';
  const W = 2 * C - 1;
  const plane = (2 * R - 1) * W;
  const parities = hex ? 2 : 1;
  const dRow = new Float32Array(parities * plane);
  const dCol = new Float32Array(parities * plane);
  const [lx, ly] = grid.period;
  const sy = hex ? HEX_ROW_SPACING : 1;
  for (let p = 0; p < parities; p++) {
    for (let dr = -(R - 1); dr <= R - 1; dr++) {
      const shift = hex ? 0.5 * (((p + dr) & 1) - p) : 0;
      let dy = dr * sy;
      if (pbc) dy = minimumImage(dy, ly);
      for (let dc = -(C - 1); dc <= C - 1; dc++) {
        let dx = dc + shift;
        if (pbc) dx = minimumImage(dx, lx);
        const i = p * plane + (dr + R - 1) * W + (dc + C - 1);
        dRow[i] = dy;
        dCol[i] = dx;
      }
    }
  }
  return { dRow, dCol };
}
