import type { Codebook } from '@somkit/plugin-api';
import { Grid } from './Grid.js';

/**
 * The grid distance between two units of a codebook, as TorchSOM's topological quality uses it:
 * plane (Euclidean) distance on rectangular grids, step (hex) distance on hexagonal ones, with
 * the minimum image on a torus.
 *
 * The same numbers as `Grid.planeDistance2` (square-rooted) and `Grid.stepDistance` (odd-r
 * hexagonal layout, row-major units), from plain codebook data.
 *
 * @returns `(a, b) => distance` for flat unit indices a, b
 */
export function gridDistance(cb: Pick<Codebook, 'rows' | 'cols' | 'topology' | 'pbc'>): (a: number, b: number) => number {
  const grid = new Grid({ rows: cb.rows, cols: cb.cols, topology: cb.topology, pbc: cb.pbc });
  if (cb.topology === 'rectangular') return (a, b) => Math.sqrt(grid.planeDistance2(a, b));
  return (a, b) => grid.stepDistance(a, b);
}
