import { SomError, type NeighborhoodTable, type Topology } from '@somkit/plugin-api';

/** The grid and kernel of a test {@link gridTable}. */
export interface GridTableSpec {
  readonly rows: number;
  readonly cols: number;
  /** Default `'rectangular'`. Hexagonal is odd-r (odd rows shifted +½, rows √3/2 apart). */
  readonly topology?: Topology;
  /** Toroidal wrap (default false). A hexagonal torus needs an even row count. */
  readonly pbc?: boolean;
  /** Neighbourhood radius handed to `kernel` (default 1.5). */
  readonly sigma?: number;
  /** Factor on every value: α / b for a minibatch step, 1 for batch-map (default 1). */
  readonly scale?: number;
  /** The kernel h(d², σ), evaluated in float64 (default the gaussian exp(−d² / 2σ²)). */
  readonly kernel?: (d2: number, sigma: number) => number;
}

const gaussian = (d2: number, sigma: number): number => Math.exp(-d2 / (2 * sigma * sigma));

/**
 * A {@link NeighborhoodTable} for tests, built in plain JS with the same offset formula as core's
 * grid offset table: on a rectangular grid the squared plane distance depends only on
 * (Δrow, Δcol), on an odd-r hexagonal grid also on the parity of unit a's row, on a torus on the
 * wrapped (minimum-image) offsets. `values[base[a] + offset[b]] = scale · h(d²(a, b), σ)`, with d²
 * computed in float64 and rounded to float32 first (as core evaluates the kernel on a float32
 * tensor of distances). Sizes: `values` (2·rows − 1)·(2·cols − 1) entries (twice that on a
 * hexagonal grid), `base` and `offset` [u] with u = rows·cols, units row-major.
 *
 * ```ts
 * const kernel = gridTable({ rows: 4, cols: 6, topology: 'hexagonal', pbc: true, sigma: 1.5, scale: 0.5 / 8 });
 * const h = (a: number, b: number) => kernel.values[kernel.base[a]! + kernel.offset[b]!]!;
 * ```
 * @throws SomError `ERR_INVALID_CONFIG` for a grid that is not rows, cols ≥ 1 integers, a
 *   hexagonal torus with an odd row count, or a sigma/scale that is not a finite number (sigma > 0)
 */
export function gridTable(spec: GridTableSpec): NeighborhoodTable {
  const { rows: R, cols: C } = spec;
  const hex = (spec.topology ?? 'rectangular') === 'hexagonal';
  const pbc = spec.pbc ?? false;
  const sigma = spec.sigma ?? 1.5;
  const scale = spec.scale ?? 1;
  const h = spec.kernel ?? gaussian;
  if (!Number.isInteger(R) || R < 1 || !Number.isInteger(C) || C < 1) {
    throw new SomError('ERR_INVALID_CONFIG', `gridTable: expected rows and cols to be integers ≥ 1, received rows=${R}, cols=${C}. Pass a grid such as { rows: 4, cols: 6 }.`);
  }
  if (spec.topology !== undefined && spec.topology !== 'rectangular' && spec.topology !== 'hexagonal') {
    throw new SomError('ERR_INVALID_CONFIG', `gridTable: expected topology 'rectangular' or 'hexagonal', received ${JSON.stringify(spec.topology)}.`);
  }
  if (hex && pbc && R % 2 !== 0) {
    throw new SomError('ERR_INVALID_CONFIG', `gridTable: a hexagonal torus needs an even row count, received rows=${R}. Use an even number of rows or pbc: false.`);
  }
  if (!(Number.isFinite(sigma) && sigma > 0) || !Number.isFinite(scale)) {
    throw new SomError('ERR_INVALID_CONFIG', `gridTable: expected sigma > 0 and a finite scale, received sigma=${sigma}, scale=${scale}.`);
  }
  const W = 2 * C - 1;
  const plane = (2 * R - 1) * W;
  const parities = hex ? 2 : 1;
  const sy = hex ? Math.sqrt(3) / 2 : 1;
  const [lx, ly] = [C, hex ? R * sy : R];
  const values = new Float32Array(parities * plane);
  for (let p = 0; p < parities; p++) {
    for (let dr = -(R - 1); dr <= R - 1; dr++) {
      // Parity of b's row given a's parity p: odd-r rows are shifted +½ along x.
      const shift = hex ? 0.5 * (((p + dr) & 1) - p) : 0;
      let dy = dr * sy;
      if (pbc) dy -= ly * Math.round(dy / ly);
      for (let dc = -(C - 1); dc <= C - 1; dc++) {
        let dx = dc + shift;
        if (pbc) dx -= lx * Math.round(dx / lx);
        values[p * plane + (dr + R - 1) * W + (dc + C - 1)] = scale * h(Math.fround(dx * dx + dy * dy), sigma);
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
  return { values, base, offset };
}
