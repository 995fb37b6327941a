import { describe, expect, it } from 'vitest';
import { Grid, HEX_ROW_SPACING } from './Grid.js';
import { isSomError } from '@somkit/plugin-api';

const topologies = ['rectangular', 'hexagonal'] as const;

describe('Grid geometry', () => {
  it('hexagonal odd-r: every ring-1 neighbour is at plane distance exactly 1', () => {
    for (const pbc of [false, true]) {
      const g = new Grid({ rows: 8, cols: 7, topology: 'hexagonal', pbc });
      for (let u = 0; u < g.units; u++) {
        const ring = g.ring(u, 1);
        if (pbc) expect(ring.length).toBe(6);
        for (const v of ring) expect(Math.sqrt(g.planeDistance2(u, v))).toBeCloseTo(1, 6);
      }
    }
  });

  it('rings hold 8k (rect) / 6k (hex) units away from borders', () => {
    const rect = new Grid({ rows: 11, cols: 11, topology: 'rectangular', pbc: false });
    const hex = new Grid({ rows: 11, cols: 11, topology: 'hexagonal', pbc: false });
    const c = rect.unit(5, 5);
    for (const k of [1, 2, 3]) {
      expect(rect.ring(c, k).length).toBe(8 * k);
      expect(hex.ring(c, k).length).toBe(6 * k);
    }
    expect(rect.neighborhood(c, 2).length).toBe(24);
    expect(hex.neighborhood(c, 2).length).toBe(18);
  });

  it('hex neighbours of even and odd rows follow odd-r offsets', () => {
    const g = new Grid({ rows: 6, cols: 6, topology: 'hexagonal', pbc: false });
    // even row 2, col 2: (1,1),(1,2),(2,1),(2,3),(3,1),(3,2)
    expect([...g.ring(g.unit(2, 2), 1)]).toEqual([g.unit(1, 1), g.unit(1, 2), g.unit(2, 1), g.unit(2, 3), g.unit(3, 1), g.unit(3, 2)]);
    // odd row 3, col 2: (2,2),(2,3),(3,1),(3,3),(4,2),(4,3)
    expect([...g.ring(g.unit(3, 2), 1)]).toEqual([g.unit(2, 2), g.unit(2, 3), g.unit(3, 1), g.unit(3, 3), g.unit(4, 2), g.unit(4, 3)]);
    expect(g.coords[2 * g.unit(3, 2)]).toBe(2.5);
    expect(g.coords[2 * g.unit(3, 2) + 1]).toBeCloseTo(3 * HEX_ROW_SPACING, 6);
  });

  it('TE adjacency (plane distance ≤ 1.5) equals ring 1, with and without torus', () => {
    for (const topology of topologies) {
      for (const pbc of [false, true]) {
        const g = new Grid({ rows: 6, cols: 5, topology, pbc });
        for (let a = 0; a < g.units; a++) {
          const ring = new Set(g.ring(a, 1));
          for (let b = 0; b < g.units; b++) {
            if (a === b) continue;
            expect(g.planeDistance2(a, b) <= 2.25).toBe(ring.has(b));
            expect(g.adjacent(a, b)).toBe(ring.has(b));
          }
        }
      }
    }
  });

  it('torus: opposite corners and opposite edges are close (TorchSOM pbc cases)', () => {
    const g = new Grid({ rows: 10, cols: 10, topology: 'rectangular', pbc: true });
    expect(Math.sqrt(g.planeDistance2(g.unit(0, 0), g.unit(9, 9)))).toBeLessThanOrEqual(Math.SQRT2 + 1e-6);
    const g6 = new Grid({ rows: 6, cols: 6, topology: 'rectangular', pbc: true });
    expect(Math.sqrt(g6.planeDistance2(g6.unit(2, 0), g6.unit(2, 5)))).toBeLessThanOrEqual(1.5);
    expect(Math.sqrt(g6.planeDistance2(g6.unit(0, 3), g6.unit(5, 3)))).toBeLessThanOrEqual(1.5);
    const flat = new Grid({ rows: 10, cols: 10, topology: 'rectangular', pbc: false });
    expect(Math.sqrt(flat.planeDistance2(0, 99))).toBeGreaterThan(10);
    const hex = new Grid({ rows: 10, cols: 10, topology: 'hexagonal', pbc: true });
    const hexFlat = new Grid({ rows: 10, cols: 10, topology: 'hexagonal', pbc: false });
    expect(hex.planeDistance2(0, 99)).toBeLessThan(hexFlat.planeDistance2(0, 99));
    // symmetric, zero diagonal
    for (let a = 0; a < 100; a += 7) {
      expect(hex.planeDistance2(a, a)).toBe(0);
      for (let b = 0; b < 100; b += 3) expect(hex.planeDistance2(a, b)).toBeCloseTo(hex.planeDistance2(b, a), 5);
    }
  });

  it('hex torus with odd rows is refused', () => {
    try {
      new Grid({ rows: 5, cols: 4, topology: 'hexagonal', pbc: true });
      expect.unreachable();
    } catch (e) {
      expect(isSomError(e, 'ERR_INVALID_CONFIG')).toBe(true);
      expect((e as Error).message).toMatch(/even number of rows/);
    }
  });

  it('step distance is a metric consistent with rings', () => {
    const g = new Grid({ rows: 7, cols: 6, topology: 'hexagonal', pbc: false });
    for (let a = 0; a < g.units; a += 5) {
      for (let b = 0; b < g.units; b += 4) {
        const d = g.stepDistance(a, b);
        expect(d).toBe(g.stepDistance(b, a));
        if (d > 0) expect([...g.ring(a, d)]).toContain(b);
      }
    }
  });
});
