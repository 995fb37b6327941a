import { describe, expect, it } from 'vitest';
import { isSomError } from '@somkit/plugin-api';
import { adjustedRandIndex, elbowK, fitKMeans } from './index.js';
import { seededRandom } from './seededRandom.js';

/** 4 blobs of 100 points in 2-D, spread 0.5, centres on a 10-unit square. */
function blobs(seed = 7): { x: number[][]; y: number[] } {
  const r = seededRandom(seed);
  const centers = [[0, 0], [10, 0], [0, 10], [10, 10]];
  const x: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < 4; c++) {
    for (let i = 0; i < 100; i++) {
      x.push(centers[c]!.map((v) => v + 0.5 * r.normal()));
      y.push(c);
    }
  }
  return { x, y };
}

describe('fitKMeans', () => {
  it('recovers 4 blobs with k = 4 and reports a consistent inertia', () => {
    const { x, y } = blobs();
    const fit = fitKMeans(x, { k: 4 });
    expect(adjustedRandIndex(y, fit.labels)).toBe(1);
    let inertia = 0;
    x.forEach((p, i) => {
      const c = fit.centers[fit.labels[i]!]!;
      inertia += (p[0]! - c[0]!) ** 2 + (p[1]! - c[1]!) ** 2;
    });
    expect(fit.inertia).toBeCloseTo(inertia, 6);
    expect(fit.curve).toBeUndefined();
  });

  it('is reproducible with a seed', () => {
    const { x } = blobs(3);
    const a = fitKMeans(x, { k: 6, seed: 5 });
    const b = fitKMeans(x, { k: 6, seed: 5 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.centers).toEqual(b.centers);
    expect(a.inertia).toBe(b.inertia);
  });

  it('keeps the best of nInit restarts (never worse than one restart)', () => {
    const { x } = blobs(9);
    expect(fitKMeans(x, { k: 7, nInit: 10 }).inertia).toBeLessThanOrEqual(fitKMeans(x, { k: 7, nInit: 1 }).inertia + 1e-9);
  });

  it('picks k = 4 on 4 blobs by the elbow rule and reports the curve', () => {
    const { x } = blobs();
    const fit = fitKMeans(x);
    expect(fit.k).toBe(4);
    expect(fit.curve?.criterion).toBe('inertia');
    expect(fit.curve?.ks).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(fit.curve?.values).toHaveLength(9);
  });

  it('elbowK takes the largest second difference, k = 2 with fewer than 3 candidates', () => {
    // Second differences at k=3: 100 − 80 + 30 = 50; at k=4: 40 − 60 + 25 = 5 → k = 3.
    expect(elbowK([2, 3, 4, 5], [100, 40, 30, 25])).toBe(3);
    expect(elbowK([2, 3], [10, 1])).toBe(2);
  });

  it('rejects k outside [1, n] with the valid range', () => {
    for (const k of [0, 5, 1.5]) {
      try {
        fitKMeans([[0], [1], [2], [3]], { k });
        expect.unreachable();
      } catch (e) {
        expect(isSomError(e, 'ERR_INVALID_CONFIG')).toBe(true);
        expect((e as Error).message).toMatch(/\[1, 4\]/);
      }
    }
  });

  it('weights act as multiplicities: integer weights give the partition and inertia of duplicated points', () => {
    const { x } = blobs(5);
    const w = x.map((_, i) => 1 + (i % 3));
    const dup = x.flatMap((p, i) => Array.from({ length: w[i]! }, () => p));
    const a = fitKMeans(x, { k: 4, weights: w });
    const b = fitKMeans(dup, { k: 4 });
    expect(a.inertia).toBeCloseTo(b.inertia, 6);
    expect(adjustedRandIndex(Array.from(a.labels).flatMap((l, i) => new Array(w[i]!).fill(l)), b.labels)).toBe(1);
  });
});
