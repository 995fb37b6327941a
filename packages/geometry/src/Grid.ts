import { SomError, type Topology } from '@somkit/plugin-api';
import { minimumImage } from './minimumImage.js';

/** Row spacing of the odd-r hexagonal layout: all six neighbours sit at distance exactly 1. */
export const HEX_ROW_SPACING = Math.sqrt(3) / 2;

/** Grid settings. */
export interface GridSpec {
  rows: number;
  cols: number;
  topology: Topology;
  /** Toroidal wrap (periodic boundary conditions). Hexagonal tori need an even row count. */
  pbc: boolean;
}

/**
 * The one grid geometry of somkit. Units are row-major, `u = row·cols + col`. Plane coordinates:
 * rectangular `(x, y) = (col, row)`; hexagonal (odd-r) `x = col + ½·[row odd]`, `y = row·√3/2`.
 * Training kernels, PCA init, U-matrix rings, TE adjacency, JITL rings, rendering and torus
 * wrapping all derive from this class.
 *
 * ```ts
 * const g = new Grid({ rows: 10, cols: 10, topology: 'hexagonal', pbc: false });
 * g.ring(g.unit(4, 4), 1); // the six neighbours, each at plane distance 1
 * ```
 */
export class Grid implements GridSpec {
  readonly rows: number;
  readonly cols: number;
  readonly topology: Topology;
  readonly pbc: boolean;
  readonly units: number;
  /** [u, 2] plane coordinates (x, y). */
  readonly coords: Float32Array;
  /** Periods of the plane coordinates for the torus: [Lx, Ly]. */
  readonly period: readonly [number, number];

  constructor(spec: GridSpec) {
    const { rows, cols, topology, pbc } = spec;
    if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
      throw new SomError('ERR_INVALID_CONFIG', `Grid rows and cols must be integers ≥ 1, got rows=${rows}, cols=${cols}.`);
    }
    if (topology !== 'rectangular' && topology !== 'hexagonal') {
      throw new SomError('ERR_INVALID_CONFIG', `topology: expected 'rectangular' or 'hexagonal', got ${JSON.stringify(topology)}.`);
    }
    if (topology === 'hexagonal' && pbc && rows % 2 !== 0) {
      throw new SomError('ERR_INVALID_CONFIG', `pbc: a hexagonal torus needs an even number of rows (odd-r rows alternate their offset), got rows=${rows}. Use ${rows + 1} or ${rows - 1} rows, or pbc: false.`);
    }
    this.rows = rows;
    this.cols = cols;
    this.topology = topology;
    this.pbc = pbc;
    this.units = rows * cols;
    this.coords = new Float32Array(this.units * 2);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const [x, y] = this.planeOf(r, c);
        const u = r * cols + c;
        this.coords[2 * u] = x;
        this.coords[2 * u + 1] = y;
      }
    }
    this.period = [cols, topology === 'hexagonal' ? rows * HEX_ROW_SPACING : rows];
  }

  /** Flat unit index of (row, col). */
  unit(row: number, col: number): number {
    return row * this.cols + col;
  }

  /** (row, col) of a flat unit index. */
  position(unit: number): [number, number] {
    return [Math.floor(unit / this.cols), unit % this.cols];
  }

  /** Plane coordinates of (row, col). */
  planeOf(row: number, col: number): [number, number] {
    if (this.topology === 'hexagonal') return [col + (row & 1 ? 0.5 : 0), row * HEX_ROW_SPACING];
    return [col, row];
  }

  /** Squared plane distance between two units (minimum image on the torus). */
  planeDistance2(a: number, b: number): number {
    let dx = this.coords[2 * a]! - this.coords[2 * b]!;
    let dy = this.coords[2 * a + 1]! - this.coords[2 * b + 1]!;
    if (this.pbc) {
      dx = minimumImage(dx, this.period[0]);
      dy = minimumImage(dy, this.period[1]);
    }
    return dx * dx + dy * dy;
  }

  /**
   * Discrete grid distance in steps: Chebyshev (8-neighbourhood) on rectangular grids, hex
   * distance (6-neighbourhood) on hexagonal ones; minimum over torus images when `pbc`.
   */
  stepDistance(a: number, b: number): number {
    const [ra, ca] = this.position(a);
    const [rb, cb] = this.position(b);
    if (!this.pbc) return this.offsetDistance(ra, ca, rb, cb);
    let best = Infinity;
    for (const tr of [-this.rows, 0, this.rows]) {
      for (const tc of [-this.cols, 0, this.cols]) {
        best = Math.min(best, this.offsetDistance(ra, ca, rb + tr, cb + tc));
      }
    }
    return best;
  }

  private offsetDistance(ra: number, ca: number, rb: number, cb: number): number {
    if (this.topology === 'rectangular') return Math.max(Math.abs(ra - rb), Math.abs(ca - cb));
    // odd-r offset → axial (q, r): q = col − (row − (row & 1)) / 2. Valid for negative rows too
    // because a torus shift is by an even number of rows.
    const qa = ca - (ra - (ra & 1)) / 2;
    const qb = cb - (rb - (rb & 1)) / 2;
    const dq = qa - qb;
    const dr = ra - rb;
    return (Math.abs(dq) + Math.abs(dr) + Math.abs(dq + dr)) / 2;
  }

  /** True when two distinct units are neighbours (8 on rectangular, 6 on hexagonal). */
  adjacent(a: number, b: number): boolean {
    return a !== b && this.stepDistance(a, b) === 1;
  }

  /** Units at step distance exactly `k` from `unit` (k ≥ 1), ascending. Ring k holds 8k (rect) / 6k (hex) units away from borders. */
  ring(unit: number, k: number): Int32Array {
    const [r0, c0] = this.position(unit);
    const found = new Set<number>();
    for (let dr = -k; dr <= k; dr++) {
      for (let dc = -k - 1; dc <= k + 1; dc++) {
        let r = r0 + dr;
        let c = c0 + dc;
        if (this.pbc) {
          r = ((r % this.rows) + this.rows) % this.rows;
          c = ((c % this.cols) + this.cols) % this.cols;
        } else if (r < 0 || r >= this.rows || c < 0 || c >= this.cols) continue;
        const v = r * this.cols + c;
        if (v !== unit && this.stepDistance(unit, v) === k) found.add(v);
      }
    }
    return Int32Array.from([...found].sort((a, b) => a - b));
  }

  /** Units within rings 1..order of `unit` (not the unit itself), ascending. */
  neighborhood(unit: number, order: number): Int32Array {
    const all = new Set<number>();
    for (let k = 1; k <= order; k++) for (const v of this.ring(unit, k)) all.add(v);
    return Int32Array.from([...all].sort((a, b) => a - b));
  }

  /** Plain description, as stored in model files. */
  toSpec(): GridSpec {
    return { rows: this.rows, cols: this.cols, topology: this.topology, pbc: this.pbc };
  }
}
