import { describe, expect, it } from 'vitest';
import { isSomError, type Codebook } from '@somkit/plugin-api';
import {
  adjustedRandIndex,
  calinskiHarabaszScore,
  daviesBouldinScore,
  silhouetteScore,
  topologicalCoherence,
} from './index.js';
import { gridDistance } from '@somkit/geometry';

/** A codebook with zero weights and core's plane coordinates (odd-r hexagonal offsets). */
function grid(rows: number, cols: number, topology: 'rectangular' | 'hexagonal' = 'rectangular', pbc = false): Codebook {
  const u = rows * cols;
  const coords = new Float32Array(2 * u);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      coords[2 * i] = topology === 'hexagonal' ? c + (r % 2 === 1 ? 0.5 : 0) : c;
      coords[2 * i + 1] = topology === 'hexagonal' ? (r * Math.sqrt(3)) / 2 : r;
    }
  }
  return { weights: new Float32Array(u), units: u, dims: 1, rows, cols, coords, topology, pbc };
}

const X = [[0], [2], [10], [12]];
const L = [0, 0, 1, 1];

describe('quality metrics on a hand-computed example', () => {
  it('silhouette: points 0..3 score 9/11, 7/9, 7/9, 9/11', () => {
    expect(silhouetteScore(X, L)).toBeCloseTo((9 / 11 + 7 / 9) / 2, 12);
  });

  it('Davies–Bouldin: scatters 1 and 1, centroid distance 10 → 0.2', () => {
    expect(daviesBouldinScore(X, L)).toBeCloseTo(0.2, 12);
  });

  it('Calinski–Harabasz: B = 100, W = 4 → (100/1)/(4/2) = 50', () => {
    expect(calinskiHarabaszScore(X, L)).toBeCloseTo(50, 10);
  });

  it('leaves noise points out', () => {
    const xn = [...X, [100]];
    const ln = [...L, -1];
    expect(silhouetteScore(xn, ln)).toBeCloseTo((9 / 11 + 7 / 9) / 2, 12);
    expect(daviesBouldinScore(xn, ln)).toBeCloseTo(0.2, 12);
    expect(calinskiHarabaszScore(xn, ln)).toBeCloseTo(50, 10);
  });

  it('is NaN when fewer than two clusters', () => {
    expect(silhouetteScore(X, [0, 0, 0, 0])).toBeNaN();
    expect(daviesBouldinScore(X, [0, 0, 0, -1])).toBeNaN();
    expect(calinskiHarabaszScore(X, [-1, -1, -1, -1])).toBeNaN();
  });

  it('accepts {data, shape} and Int32Array labels', () => {
    const flat = { data: new Float32Array([0, 2, 10, 12]), shape: [4, 1] as const };
    expect(silhouetteScore(flat, Int32Array.from(L))).toBeCloseTo((9 / 11 + 7 / 9) / 2, 6);
  });

  it('silhouette gives singleton clusters 0 (scikit-learn)', () => {
    // Cluster 1 = {10} alone: s = 0. Points 0 and 2 in cluster 0: a = 2, b = 10 and 8.
    const s = silhouetteScore([[0], [2], [10]], [0, 0, 1]);
    expect(s).toBeCloseTo((8 / 10 + 6 / 8 + 0) / 3, 12);
  });

  it('rejects mismatched labels with ERR_SHAPE_MISMATCH', () => {
    expect(() => silhouetteScore(X, [0, 1])).toThrowError(expect.objectContaining({ code: 'ERR_SHAPE_MISMATCH' }));
  });
});

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under renaming', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [7, 7, 3, 3, -1])).toBe(1);
  });

  it('matches the contingency-table value 4/7 on a small case', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 12);
  });

  it('is symmetric and about 0 for unrelated labelings', () => {
    const a = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const b = [0, 1, 2, 0, 1, 2, 0, 1, 2];
    expect(adjustedRandIndex(a, b)).toBeCloseTo(adjustedRandIndex(b, a), 12);
    expect(adjustedRandIndex(a, b)).toBeLessThan(0);
  });

  it('scores trivial agreeing partitions 1 and rejects different lengths', () => {
    expect(adjustedRandIndex([1, 1, 1], [0, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 1, 2], [5, 6, 7])).toBe(1);
    try {
      adjustedRandIndex([0], [0, 1]);
      expect.unreachable();
    } catch (e) {
      expect(isSomError(e, 'ERR_SHAPE_MISMATCH')).toBe(true);
    }
  });
});

describe('topologicalCoherence', () => {
  it('rectangular: two row clusters of a 2×2 map → 1/(1 + 1/2) = 2/3', () => {
    expect(topologicalCoherence(grid(2, 2), [0, 0, 1, 1])).toBeCloseTo(2 / 3, 12);
  });

  it('rectangular: diagonal clusters use the plane distance √2', () => {
    expect(topologicalCoherence(grid(2, 2), [0, 1, 1, 0])).toBeCloseTo(1 / (1 + Math.SQRT2 / 2), 6);
  });

  it('hexagonal uses step distance: (0,0)–(1,1) is 2 steps, (0,1)–(1,0) is 1', () => {
    // Cluster 0: coherence 1/(1 + 2/2) = 1/2; cluster 1: 1/(1 + 1/2) = 2/3; size-weighted mean 7/12.
    expect(topologicalCoherence(grid(2, 2, 'hexagonal'), [0, 1, 1, 0])).toBeCloseTo(7 / 12, 12);
  });

  it('wraps on a torus', () => {
    // 1×4 ring: units 0 and 3 are neighbours across the seam.
    expect(topologicalCoherence(grid(1, 4, 'rectangular', true), [0, 1, 1, 0])).toBeCloseTo(0.8, 6);
    expect(topologicalCoherence(grid(1, 4), [0, 1, 1, 0])).toBeCloseTo((2 * (4 / 7) + 2 * 0.8) / 4, 6);
  });

  it('is 1 with fewer than two clusters and ignores noise and singletons', () => {
    expect(topologicalCoherence(grid(3, 3), new Int32Array(9))).toBe(1);
    expect(topologicalCoherence(grid(2, 2), [0, 0, -1, 1])).toBeCloseTo(1 / (1 + 1 / 2), 12);
  });

  it('rejects labels of the wrong length and malformed codebooks', () => {
    expect(() => topologicalCoherence(grid(2, 2), [0, 1])).toThrowError(expect.objectContaining({ code: 'ERR_SHAPE_MISMATCH' }));
    expect(() => topologicalCoherence({ ...grid(2, 2), units: 5 }, [0, 0, 1, 1, 1])).toThrowError(expect.objectContaining({ code: 'ERR_SHAPE_MISMATCH' }));
  });
});

describe('gridDistance (mirror of core Grid)', () => {
  it('hexagonal ring-1 neighbours are one step away, even and odd rows', () => {
    const g = grid(6, 6, 'hexagonal');
    const dist = gridDistance(g);
    const u = (r: number, c: number): number => r * 6 + c;
    // Even row 2: neighbours (1,1),(1,2),(2,1),(2,3),(3,1),(3,2). Odd row 3: (2,2),(2,3),(3,1),(3,3),(4,2),(4,3).
    for (const [r, c] of [[1, 1], [1, 2], [2, 1], [2, 3], [3, 1], [3, 2]] as const) expect(dist(u(2, 2), u(r, c))).toBe(1);
    for (const [r, c] of [[2, 2], [2, 3], [3, 1], [3, 3], [4, 2], [4, 3]] as const) expect(dist(u(3, 2), u(r, c))).toBe(1);
    expect(dist(u(2, 2), u(1, 3))).toBe(2);
    expect(dist(u(3, 2), u(2, 1))).toBe(2);
  });

  it('hexagonal torus wraps rows and columns', () => {
    const dist = gridDistance(grid(6, 6, 'hexagonal', true));
    expect(dist(0, 5)).toBe(1); // (0,0)–(0,5) across the column seam
    expect(dist(0, 30)).toBe(1); // (0,0)–(5,0) across the row seam: row 5 is odd, shifted right
  });
});
