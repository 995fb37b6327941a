import { describe, expect, it } from 'vitest';
import { isSomError } from '@somkit/plugin-api';
import { adjustedRandIndex, fitHdbscan } from './index.js';
import { seededRandom } from './seededRandom.js';

/** 4 blobs of 100 points (spread 0.5) plus 60 uniform background points in [−10, 20)². */
function blobsWithNoise(seed = 7): { x: number[][]; y: number[] } {
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
  for (let i = 0; i < 60; i++) {
    x.push([r.next() * 30 - 10, r.next() * 30 - 10]);
    y.push(-1);
  }
  return { x, y };
}

describe('fitHdbscan on points', () => {
  it('finds the 4 blobs and labels background points far from them as noise', () => {
    const { x, y } = blobsWithNoise();
    const fit = fitHdbscan(x, { minClusterSize: 15 });
    expect(fit.k).toBe(4);
    const blobIdx = y.map((c, i) => (c >= 0 ? i : -1)).filter((i) => i >= 0);
    expect(adjustedRandIndex(blobIdx.map((i) => y[i]!), blobIdx.map((i) => fit.labels[i]!))).toBe(1);
    // A background point that joined a blob's component before the blobs split belongs to that
    // cluster (HDBSCAN semantics; here those are ≤ 4.1 units from a centre). Background points
    // more than 5 units from every centre must all be noise.
    const centers = [[0, 0], [10, 0], [0, 10], [10, 10]];
    const far = x.filter((p, i) => y[i] === -1 && centers.every((c) => Math.hypot(p[0]! - c[0]!, p[1]! - c[1]!) > 5));
    expect(far.length).toBeGreaterThan(25);
    for (const p of far) expect(fit.labels[x.indexOf(p)]).toBe(-1);
    expect(fit.nNoise).toBe(Array.from(fit.labels).filter((l) => l < 0).length);
    expect(fit.stabilities).toHaveLength(4);
  });

  it('separates two tight groups and drops a lone outlier (hand case)', () => {
    const x = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5], [20, 20], [20, 21], [21, 20], [21, 21], [20.5, 20.5], [100, 100]];
    const fit = fitHdbscan(x, { minClusterSize: 3 });
    expect(fit.k).toBe(2);
    expect(new Set(fit.labels.slice(0, 5)).size).toBe(1);
    expect(new Set(fit.labels.slice(5, 10)).size).toBe(1);
    expect(fit.labels[0]).not.toBe(fit.labels[5]);
    expect(fit.labels[10]).toBe(-1);
  });

  it('core distance is the distance to the minSamples-th nearest point, the point itself included', () => {
    const fit = fitHdbscan([[0], [1], [3], [7]], { minClusterSize: 2, minSamples: 2 });
    expect(Array.from(fit.coreDistances)).toEqual([1, 1, 2, 4]);
    const self = fitHdbscan([[0], [1], [3], [7]], { minClusterSize: 2, minSamples: 1 });
    expect(Array.from(self.coreDistances)).toEqual([0, 0, 0, 0]);
  });

  it('is deterministic', () => {
    const { x } = blobsWithNoise(3);
    expect(Array.from(fitHdbscan(x, { minClusterSize: 10, minSamples: 4 }).labels)).toEqual(Array.from(fitHdbscan(x, { minClusterSize: 10, minSamples: 4 }).labels));
  });

  it('hardly depends on the order of the points (only tied merge orders differ)', () => {
    const { x } = blobsWithNoise(5);
    const r = seededRandom(99);
    const perm = x.map((_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = Math.floor(r.next() * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const a = fitHdbscan(x, { minClusterSize: 15 });
    const b = fitHdbscan(perm.map((i) => x[i]!), { minClusterSize: 15 });
    const back = new Int32Array(x.length);
    perm.forEach((src, i) => (back[src] = b.labels[i]!));
    // Mutual-reachability distances tie often (many equal a core distance); the order of tied
    // merges can move a few borderline points, as in the reference implementation.
    expect(b.k).toBe(a.k);
    expect(adjustedRandIndex(a.labels, back)).toBeGreaterThanOrEqual(0.98);
  });

  it('labels everything noise when no cluster can form', () => {
    const fit = fitHdbscan([[0], [1], [2], [3]], { minClusterSize: 5 });
    expect(fit.k).toBe(0);
    expect(Array.from(fit.labels)).toEqual([-1, -1, -1, -1]);
    expect(fitHdbscan([[1, 2]]).labels[0]).toBe(-1);
  });

  it('handles duplicate points', () => {
    const x = [...Array.from({ length: 6 }, () => [0, 0]), ...Array.from({ length: 6 }, () => [5, 5])];
    const fit = fitHdbscan(x, { minClusterSize: 3 });
    expect(fit.k).toBe(2);
    expect(adjustedRandIndex([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], fit.labels)).toBe(1);
  });

  it('rejects minClusterSize < 2 and minSamples < 1', () => {
    for (const options of [{ minClusterSize: 1 }, { minClusterSize: 5, minSamples: 0 }, { minClusterSize: 2.5 }]) {
      try {
        fitHdbscan([[0], [1]], options);
        expect.unreachable();
      } catch (e) {
        expect(isSomError(e, 'ERR_INVALID_CONFIG')).toBe(true);
      }
    }
  });

  it('finishes on 2,500 random 10-D points', () => {
    const r = seededRandom(1);
    const data = new Float64Array(2500 * 10).map(() => r.next());
    const fit = fitHdbscan({ data, shape: [2500, 10] }, { minClusterSize: 125 });
    expect(fit.labels).toHaveLength(2500);
  });
});
