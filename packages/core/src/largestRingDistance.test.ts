import { describe, expect, it } from 'vitest';
import { Grid } from '@somkit/geometry';
import { largestRingDistance } from './largestRingDistance.js';

describe('largestRingDistance', () => {
  it('equals the largest step distance over all unit pairs (every grid up to 9 × 9)', () => {
    for (const topology of ['rectangular', 'hexagonal'] as const) {
      for (const pbc of [false, true]) {
        for (let rows = 1; rows <= 9; rows++) {
          for (let cols = 1; cols <= 9; cols++) {
            if (topology === 'hexagonal' && pbc && rows % 2 !== 0) continue;
            const g = new Grid({ rows, cols, topology, pbc });
            let brute = 0;
            for (let a = 0; a < g.units; a++) for (let b = 0; b < g.units; b++) brute = Math.max(brute, g.stepDistance(a, b));
            expect(largestRingDistance({ rows, cols, topology, pbc }), `${rows}×${cols} ${topology} pbc=${pbc}`).toBe(brute);
          }
        }
      }
    }
  });
});
