import type { GridSpec } from '@somkit/geometry';

/**
 * The largest step distance between two units of a grid (Chebyshev on rectangular grids, hex
 * distance on hexagonal ones, minimum image on a torus): the last ring that is not empty for some
 * unit. A `neighborhoodOrder` beyond it adds no unit, only work (ring k costs O(k²) per unit), so
 * configs refuse larger orders with this bound in the message.
 *
 * O(1) on rectangular grids; hexagonal grids check the corner cells (no torus) or every unit
 * from two rows (torus, O(u)).
 */
export function largestRingDistance(spec: GridSpec): number {
  const { rows, cols, topology, pbc } = spec;
  if (topology === 'rectangular') {
    return pbc ? Math.max(Math.floor(rows / 2), Math.floor(cols / 2)) : Math.max(rows, cols) - 1;
  }
  if (!pbc) {
    // Hex distance from a corner grows towards the opposite corners; the odd-r row offset makes
    // the extreme cells sit at the first/last two rows and columns.
    const rs = [...new Set([0, 1, rows - 2, rows - 1].filter((r) => r >= 0 && r < rows))];
    const cs = [...new Set([0, 1, cols - 2, cols - 1].filter((c) => c >= 0 && c < cols))];
    let best = 0;
    for (const ra of rs) for (const ca of cs) for (const rb of rs) for (const cb of cs) best = Math.max(best, hexDistance(ra, ca, rb, cb));
    return best;
  }
  // A hexagonal torus is translation invariant by two rows and any column: units of rows 0 and 1
  // see every distance there is (minimum over the torus images, as Grid.stepDistance).
  let best = 0;
  for (const r0 of rows > 1 ? [0, 1] : [0]) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        let d = Infinity;
        for (const tr of [-rows, 0, rows]) for (const tc of [-cols, 0, cols]) d = Math.min(d, hexDistance(r0, 0, r + tr, c + tc));
        best = Math.max(best, d);
      }
    }
  }
  return best;
}

function hexDistance(ra: number, ca: number, rb: number, cb: number): number {
  const qa = ca - (ra - (ra & 1)) / 2;
  const qb = cb - (rb - (rb & 1)) / 2;
  const dq = qa - qb;
  const dr = ra - rb;
  return (Math.abs(dq) + Math.abs(dr) + Math.abs(dq + dr)) / 2;
}
