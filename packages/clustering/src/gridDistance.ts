import type { Codebook } from '@somkit/plugin-api';

/**
 * The grid distance between two units of a codebook, as TorchSOM's topological quality uses it:
 * plane (Euclidean) distance on rectangular grids, step (hex) distance on hexagonal ones, with
 * the minimum image on a torus.
 *
 * This mirrors `Grid.planeDistance2` / `Grid.stepDistance` of `@somkit/core` (odd-r hexagonal
 * layout, row-major units) using only the plain codebook data, because this package does not
 * depend on core. Keep the two in agreement.
 *
 * @returns `(a, b) => distance` for flat unit indices a, b
 */
export function gridDistance(cb: Pick<Codebook, 'rows' | 'cols' | 'coords' | 'topology' | 'pbc'>): (a: number, b: number) => number {
  const { rows, cols, coords, pbc } = cb;
  if (cb.topology === 'rectangular') {
    // Plane coordinates (x, y) = (col, row); periods [cols, rows] on the torus.
    return (a, b) => {
      let dx = coords[2 * a]! - coords[2 * b]!;
      let dy = coords[2 * a + 1]! - coords[2 * b + 1]!;
      if (pbc) {
        dx -= cols * Math.round(dx / cols);
        dy -= rows * Math.round(dy / rows);
      }
      return Math.sqrt(dx * dx + dy * dy);
    };
  }
  const offset = (ra: number, ca: number, rb: number, cb2: number): number => {
    // odd-r offset → axial (q, r): q = col − (row − (row & 1)) / 2.
    const qa = ca - (ra - (ra & 1)) / 2;
    const qb = cb2 - (rb - (rb & 1)) / 2;
    const dq = qa - qb;
    const dr = ra - rb;
    return (Math.abs(dq) + Math.abs(dr) + Math.abs(dq + dr)) / 2;
  };
  return (a, b) => {
    const ra = Math.floor(a / cols);
    const ca = a % cols;
    const rb = Math.floor(b / cols);
    const cb2 = b % cols;
    if (!pbc) return offset(ra, ca, rb, cb2);
    let best = Infinity;
    for (const tr of [-rows, 0, rows]) for (const tc of [-cols, 0, cols]) best = Math.min(best, offset(ra, ca, rb + tr, cb2 + tc));
    return best;
  };
}
