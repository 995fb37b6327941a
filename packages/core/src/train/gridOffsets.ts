import { HEX_ROW_SPACING, minimumImage, type Grid } from '@somkit/geometry';

/**
 * The grid's squared plane distances by unit offset — the geometry behind a
 * {@link NeighborhoodTable}: `d2[base[a] + offset[b]]` is the squared (torus-aware) plane distance
 * between units a and b. On a rectangular grid it depends only on (Δrow, Δcol); on an odd-r
 * hexagonal grid also on the parity of a's row (odd rows are shifted by ½); on a torus the offsets
 * wrap to the minimum image. So the table has (2·rows − 1)·(2·cols − 1) entries (twice that on a
 * hexagonal grid), about 4·u (8·u), instead of u².
 */
export interface GridOffsets {
  /** Squared plane distances, float32 (computed in float64 from the offsets, then rounded). */
  readonly d2: Float32Array;
  /** [u] start of unit a's row of the table. */
  readonly base: Int32Array;
  /** [u] unit b's offset within a row. */
  readonly offset: Int32Array;
}

const cache = new WeakMap<Grid, GridOffsets>();

/** The offset table of a grid, built once per Grid object. O(u) memory and time. */
export function gridOffsets(grid: Grid): GridOffsets {
  let t = cache.get(grid);
  if (t === undefined) {
    t = build(grid);
    cache.set(grid, t);
  }
  return t;
}

function build(grid: Grid): GridOffsets {
  const { rows: R, cols: C, pbc } = grid;
  const hex = grid.topology === 'hexagonal';
  const W = 2 * C - 1;
  const H = 2 * R - 1;
  const plane = H * W;
  const parities = hex ? 2 : 1;
  const d2 = new Float32Array(parities * plane);
  const [lx, ly] = grid.period;
  const sy = hex ? HEX_ROW_SPACING : 1;
  for (let p = 0; p < parities; p++) {
    for (let dr = -(R - 1); dr <= R - 1; dr++) {
      // Parity of b's row given a's parity p: odd-r rows are shifted +½ along x.
      const shift = hex ? 0.5 * (((p + dr) & 1) - p) : 0;
      let dy = dr * sy;
      if (pbc) dy = minimumImage(dy, ly);
      for (let dc = -(C - 1); dc <= C - 1; dc++) {
        let dx = dc + shift;
        if (pbc) dx = minimumImage(dx, lx);
        d2[p * plane + (dr + R - 1) * W + (dc + C - 1)] = dx * dx + dy * dy;
      }
    }
  }
  const u = R * C;
  const base = new Int32Array(u);
  const offset = new Int32Array(u);
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const a = r * C + c;
      base[a] = (hex ? (r & 1) * plane : 0) + (R - 1 - r) * W + (C - 1 - c);
      offset[a] = r * W + c;
    }
  }
  return { d2, base, offset };
}
