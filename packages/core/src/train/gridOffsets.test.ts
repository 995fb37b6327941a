import { describe, expect, it } from 'vitest';
import { Grid } from '@somkit/geometry';
import { gridOffsets } from './gridOffsets.js';

describe('gridOffsets', () => {
  const cases = [
    { rows: 5, cols: 7, topology: 'rectangular', pbc: false },
    { rows: 5, cols: 7, topology: 'rectangular', pbc: true },
    { rows: 6, cols: 5, topology: 'hexagonal', pbc: false },
    { rows: 6, cols: 5, topology: 'hexagonal', pbc: true },
    { rows: 1, cols: 4, topology: 'rectangular', pbc: false },
    { rows: 3, cols: 1, topology: 'hexagonal', pbc: false },
  ] as const;
  for (const spec of cases) {
    it(`d2[base[a] + offset[b]] is Grid.planeDistance2(a, b) for every pair (${spec.rows}×${spec.cols} ${spec.topology}${spec.pbc ? ' torus' : ''})`, () => {
      const g = new Grid(spec);
      const { d2, base, offset } = gridOffsets(g);
      expect(d2.length).toBeLessThanOrEqual(2 * (2 * spec.rows - 1) * (2 * spec.cols - 1));
      for (let a = 0; a < g.units; a++) {
        for (let b = 0; b < g.units; b++) {
          expect(d2[base[a]! + offset[b]!]).toBeCloseTo(g.planeDistance2(a, b), 5);
        }
      }
    });
  }
  it('is built once per grid', () => {
    const g = new Grid({ rows: 3, cols: 3, topology: 'rectangular', pbc: false });
    expect(gridOffsets(g)).toBe(gridOffsets(g));
  });
});
