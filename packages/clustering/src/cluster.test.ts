import { describe, expect, it } from 'vitest';
import { isSomError, registry, type Codebook, type SomErrorCode } from '@somkit/plugin-api';
import { adjustedRandIndex, cluster, clusteringPlugins, gmm, hdbscan, kmeans, topologicalCoherence } from './index.js';
import { seededRandom } from './seededRandom.js';
import './register.js';

/** A codebook whose units are the given points, on a rows×cols grid (core's plane coordinates). */
function codebookOf(points: number[][], rows: number, cols: number, topology: 'rectangular' | 'hexagonal' = 'rectangular', pbc = false): Codebook {
  const u = rows * cols;
  const d = points[0]!.length;
  const coords = new Float32Array(2 * u);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      coords[2 * i] = topology === 'hexagonal' ? c + (r % 2 === 1 ? 0.5 : 0) : c;
      coords[2 * i + 1] = topology === 'hexagonal' ? (r * Math.sqrt(3)) / 2 : r;
    }
  }
  return { weights: Float32Array.from(points.flat()), units: u, dims: d, rows, cols, coords, topology, pbc };
}

/** 4 blobs of 25 points each as a 10×10 codebook (unit i = point i). */
function blobCodebook(seed = 7): Codebook {
  const r = seededRandom(seed);
  const centers = [[0, 0, 0], [8, 0, 0], [0, 8, 0], [0, 0, 8]];
  const pts: number[][] = [];
  for (const c of centers) for (let i = 0; i < 25; i++) pts.push(c.map((v) => v + 0.4 * r.normal()));
  return codebookOf(pts, 10, 10);
}

async function expectSomError(p: Promise<unknown> | (() => unknown), code: SomErrorCode, pattern?: RegExp): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isSomError(e, code), `expected ${code}, got ${String(e)}`).toBe(true);
    if (pattern) expect((e as Error).message).toMatch(pattern);
    return;
  }
  expect.unreachable(`expected a SomError ${code}`);
}

describe('cluster(codebook)', () => {
  it('returns 0-based labels, centres in the clustering space and all metrics', async () => {
    const cb = blobCodebook();
    const res = await cluster(cb, { method: 'kmeans', k: 4 });
    expect(res.method).toBe('kmeans');
    expect(res.space).toBe('weights');
    expect(res.k).toBe(4);
    expect(res.labels).toBeInstanceOf(Int32Array);
    expect(res.labels).toHaveLength(100);
    expect(new Set(res.labels)).toEqual(new Set([0, 1, 2, 3]));
    // Units 0..24 are blob 0, 25..49 blob 1, …: one label per block.
    for (let b = 0; b < 4; b++) expect(new Set(res.labels.slice(25 * b, 25 * b + 25)).size).toBe(1);
    expect(res.centers).toHaveLength(4);
    expect(res.centers[0]).toHaveLength(3);
    expect(res.inertia).toBeGreaterThan(0);
    expect(res.metrics.silhouette).toBeGreaterThan(0.8);
    expect(res.metrics.daviesBouldin).toBeLessThan(0.3);
    expect(res.metrics.calinskiHarabasz).toBeGreaterThan(100);
    expect(res.metrics.noiseRatio).toBe(0);
    expect(res.metrics.nNoise).toBe(0);
    // Blocks of 25 consecutive row-major units are 2.5 rows: compact on the grid.
    expect(res.metrics.topologicalCoherence).toBeGreaterThan(0.7);
  });

  it('k-means and GMM are reproducible with a seed', async () => {
    const cb = blobCodebook(3);
    for (const method of ['kmeans', 'gmm'] as const) {
      const a = await cluster(cb, { method, k: 6, seed: 9 });
      const b = await cluster(cb, { method, k: 6, seed: 9 });
      expect(Array.from(a.labels), method).toEqual(Array.from(b.labels));
    }
  });

  it('chooses k automatically and reports the curve (kmeans: elbow, gmm: BIC)', async () => {
    const cb = blobCodebook();
    const km = await cluster(cb, { method: 'kmeans' });
    expect(km.k).toBe(4);
    expect(km.curve?.criterion).toBe('inertia');
    const g = await cluster(cb, { method: 'gmm', covariance: 'diag' });
    expect(g.k).toBe(4);
    expect(g.curve?.criterion).toBe('bic');
    expect(g.bic).toBeTypeOf('number');
    expect(g.aic).toBeTypeOf('number');
  });

  it('clusters on grid positions and on weights + positions', async () => {
    const cb = blobCodebook();
    const pos = await cluster(cb, { method: 'kmeans', k: 2, space: 'positions' });
    expect(pos.centers[0]).toHaveLength(2);
    // k = 2 on the positions of a square grid cuts it into two halves (by rows or by columns).
    const byRow = Array.from({ length: 100 }, (_, u) => (Math.floor(u / 10) < 5 ? 0 : 1));
    const byCol = Array.from({ length: 100 }, (_, u) => (u % 10 < 5 ? 0 : 1));
    const ari = Math.max(adjustedRandIndex(byRow, pos.labels), adjustedRandIndex(byCol, pos.labels));
    expect(ari).toBe(1);
    expect(pos.metrics.topologicalCoherence).toBeCloseTo(topologicalCoherence(cb, byRow), 12);
    const both = await cluster(cb, { method: 'kmeans', k: 4, space: 'combined' });
    expect(both.centers[0]).toHaveLength(5);
  });

  it('hdbscan: noise = −1, default minClusterSize = max(5, ⌊u/20⌋)', async () => {
    const cb = blobCodebook();
    const res = await cluster(cb, { method: 'hdbscan' });
    expect(res.k).toBe(4);
    expect(res.centers).toHaveLength(4);
    expect(res.metrics.nNoise).toBe(Array.from(res.labels).filter((l) => l === -1).length);
    expect(res.metrics.noiseRatio).toBe(res.metrics.nNoise / 100);
    expect(res.warning).toBeUndefined();
  });

  it('hdbscan: when no cluster is found every unit is noise and warning says so', async () => {
    const r = seededRandom(2);
    const cb = codebookOf(Array.from({ length: 9 }, () => [r.next()]), 3, 3);
    const res = await cluster(cb, { method: 'hdbscan', minClusterSize: 20 });
    expect(res.k).toBe(0);
    expect(Array.from(res.labels)).toEqual(new Array(9).fill(-1));
    expect(res.warning).toMatch(/no cluster/);
    expect(res.metrics.noiseRatio).toBe(1);
    expect(res.metrics.silhouette).toBeNaN();
    expect(res.centers).toEqual([]);
  });

  it('k = 1 gives NaN for the scores that need two clusters', async () => {
    const res = await cluster(blobCodebook(), { method: 'kmeans', k: 1 });
    expect(res.metrics.silhouette).toBeNaN();
    expect(res.metrics.daviesBouldin).toBeNaN();
    expect(res.metrics.calinskiHarabasz).toBeNaN();
    expect(res.metrics.topologicalCoherence).toBe(1);
  });

  it('renumbers labels when coinciding units leave a cluster empty', async () => {
    const cb = codebookOf([[0], [0], [0], [5], [5], [5]], 2, 3);
    const res = await cluster(cb, { method: 'kmeans', k: 3 });
    expect(new Set(res.labels)).toEqual(new Set([0, 1]));
    expect(res.k).toBe(2);
    expect(res.centers).toHaveLength(2);
    expect(res.warning).toMatch(/Only 2 of the 3/);
  });

  it('works on hexagonal toroidal codebooks', async () => {
    const r = seededRandom(4);
    const pts = Array.from({ length: 36 }, (_, i) => [(i < 18 ? 0 : 10) + r.normal()]);
    const res = await cluster(codebookOf(pts, 6, 6, 'hexagonal', true), { method: 'kmeans', k: 2 });
    expect(res.metrics.topologicalCoherence).toBeGreaterThan(0.7);
  });

  it('rejects k outside [1, units] with the valid range', async () => {
    const cb = blobCodebook();
    await expectSomError(cluster(cb, { k: 0 }), 'ERR_INVALID_CONFIG', /\[1, 100\]/);
    await expectSomError(cluster(cb, { method: 'gmm', k: 101 }), 'ERR_INVALID_CONFIG', /\[1, 100\]/);
    await expectSomError(cluster(cb, { k: 2.5 }), 'ERR_INVALID_CONFIG', /integer/);
  });

  it('rejects unknown methods, spaces and options, listing the valid choices', async () => {
    const cb = blobCodebook();
    await expectSomError(cluster(cb, { method: 'dbscan' as 'kmeans' }), 'ERR_INVALID_CONFIG', /'kmeans', 'gmm', 'hdbscan'/);
    await expectSomError(cluster(cb, { space: 'grid' as 'weights' }), 'ERR_INVALID_CONFIG', /'weights', 'positions', 'combined'/);
    await expectSomError(cluster(cb, { nClusters: 3 } as never), 'ERR_INVALID_CONFIG', /Valid options/);
    await expectSomError(cluster(cb, { method: 'gmm', covariance: 'tied' as 'full' }), 'ERR_INVALID_CONFIG', /'full' or 'diag'/);
    await expectSomError(cluster(cb, { method: 'hdbscan', minClusterSize: 1 }), 'ERR_INVALID_CONFIG', /minClusterSize/);
  });

  it('rejects malformed codebooks with ERR_SHAPE_MISMATCH', async () => {
    const cb = blobCodebook();
    await expectSomError(cluster({ ...cb, weights: cb.weights.subarray(0, 10) }), 'ERR_SHAPE_MISMATCH', /weights/);
    await expectSomError(cluster({ ...cb, rows: 5 }), 'ERR_SHAPE_MISMATCH', /rows·cols/);
    await expectSomError(cluster({ ...cb, coords: new Float32Array(3) }), 'ERR_SHAPE_MISMATCH', /coords/);
    await expectSomError(cluster({ ...cb, topology: 'triangular' as 'hexagonal' }), 'ERR_SHAPE_MISMATCH', /topology/);
    await expectSomError(cluster({ ...cb, dims: 0 }), 'ERR_SHAPE_MISMATCH', /dims/);
    const nan = new Float32Array(cb.weights);
    nan[5] = Number.NaN;
    await expectSomError(cluster({ ...cb, weights: nan }), 'ERR_NON_FINITE');
  });

  it('rejects an already aborted signal with ERR_ABORTED', async () => {
    await expectSomError(cluster(blobCodebook(), { signal: { aborted: true, reason: 'stop' } }), 'ERR_ABORTED');
  });
});

/**
 * A codebook like a trained map's: three groups of 10 units that hold the samples (A and B
 * close, C apart) and 40 units without hits spread far away, as the units that interpolate
 * across a large gap between groups. Returns the group of each unit (−1 for the empty ones) and
 * the hits.
 */
function interpolatedCodebook(): { cb: Codebook; group: number[]; hits: number[] } {
  const r = seededRandom(21);
  const centers = [[0, 0], [4, 0], [0, 20]];
  const pts: number[][] = [];
  const group: number[] = [];
  const hits: number[] = [];
  // Each group: a 2 × 5 patch of units 0.3 apart, as a trained map lays units over a blob.
  for (let g = 0; g < 3; g++) {
    for (let i = 0; i < 10; i++) {
      pts.push([centers[g]![0]! + 0.3 * (i % 5) + 0.01 * r.normal(), centers[g]![1]! + 0.3 * Math.floor(i / 5) + 0.01 * r.normal()]);
      group.push(g);
      hits.push(5 + Math.floor(r.next() * 10));
    }
  }
  for (let i = 0; i < 40; i++) {
    pts.push([30 + 3 * r.normal(), 30 + 3 * r.normal()]);
    group.push(-1);
    hits.push(0);
  }
  return { cb: codebookOf(pts, 7, 10), group, hits };
}

/** ARI over the units that hold samples (what a sample-level ARI sees). */
function ariOnHits(group: number[], hits: number[], labels: Int32Array): number {
  const idx = hits.map((h, i) => (h > 0 ? i : -1)).filter((i) => i >= 0);
  return adjustedRandIndex(idx.map((i) => group[i]!), idx.map((i) => labels[i]!));
}

describe('hit-weighted clustering (weights)', () => {
  it('k-means and GMM weighted by hits recover the groups that unweighted runs merge', async () => {
    const { cb, group, hits } = interpolatedCodebook();
    for (const method of ['kmeans', 'gmm'] as const) {
      const plain = await cluster(cb, { method, k: 3, ...(method === 'gmm' ? { covariance: 'diag' as const } : {}) });
      const weighted = await cluster(cb, { method, k: 3, weights: hits, ...(method === 'gmm' ? { covariance: 'diag' as const } : {}) });
      // Unweighted, the 40 empty units take a cluster of their own and A and B share one.
      expect(ariOnHits(group, hits, plain.labels), method).toBeLessThan(0.7);
      expect(ariOnHits(group, hits, weighted.labels), method).toBe(1);
      expect(weighted.labels).toHaveLength(70);
      expect(weighted.labels.every((l) => l >= 0 && l < 3)).toBe(true);
    }
  });

  it('weighted k-means inertia is Σ hits · squared distance', async () => {
    const { cb, hits } = interpolatedCodebook();
    const res = await cluster(cb, { method: 'kmeans', k: 3, weights: hits });
    let inertia = 0;
    for (let i = 0; i < 70; i++) {
      const c = res.centers[res.labels[i]!]!;
      inertia += hits[i]! * ((cb.weights[2 * i]! - c[0]!) ** 2 + (cb.weights[2 * i + 1]! - c[1]!) ** 2);
    }
    expect(res.inertia).toBeCloseTo(inertia, 3);
  });

  it('hdbscan with no parameters finds the groups and marks units without hits noise', async () => {
    const { cb, group, hits } = interpolatedCodebook();
    const res = await cluster(cb, { method: 'hdbscan', weights: hits });
    expect(res.k).toBe(3);
    expect(ariOnHits(group, hits, res.labels)).toBe(1);
    for (let i = 30; i < 70; i++) expect(res.labels[i]).toBe(-1);
    expect(res.metrics.nNoise).toBe(40);
  });

  it('keeps explicit hdbscan parameters and the unweighted default as they were', async () => {
    const { cb } = interpolatedCodebook();
    const ones = new Array(70).fill(1);
    const a = await cluster(cb, { method: 'hdbscan', minClusterSize: 5 });
    const b = await cluster(cb, { method: 'hdbscan', minClusterSize: 5, minSamples: 5, weights: ones });
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
  });

  it('rejects weights of the wrong length, negative, non-finite or all zero, and k above the units with hits', async () => {
    const { cb, hits } = interpolatedCodebook();
    await expectSomError(cluster(cb, { weights: hits.slice(1) }), 'ERR_SHAPE_MISMATCH', /expected 70 values.*got 69/);
    await expectSomError(cluster(cb, { weights: hits.map((h, i) => (i === 3 ? -1 : h)) }), 'ERR_INVALID_INPUT', /non-negative.*-1 at index 3/);
    await expectSomError(cluster(cb, { weights: hits.map((h, i) => (i === 3 ? Number.NaN : h)) }), 'ERR_NON_FINITE', /index 3/);
    await expectSomError(cluster(cb, { method: 'hdbscan', weights: new Array(70).fill(0) }), 'ERR_INVALID_INPUT', /every one of the 70 weights is 0/);
    await expectSomError(cluster(cb, { weights: 'many' as never }), 'ERR_INVALID_INPUT', /expected an array/);
    const one = hits.map((h, i) => (i < 2 ? 1 : 0));
    await expectSomError(cluster(cb, { method: 'gmm', k: 3, weights: one }), 'ERR_INVALID_CONFIG', /at most 2/);
    await expectSomError(cluster(cb, { method: 'kmeans', k: 3, weights: one }), 'ERR_INVALID_CONFIG', /at most 2/);
  });
});

describe('clustering plugins', () => {
  it('are frozen JSON-configured plugin objects returning labels', async () => {
    const cb = blobCodebook();
    for (const p of [kmeans({ k: 4 }), gmm({ k: 4, covariance: 'diag' }), hdbscan({ minClusterSize: 5 })]) {
      expect(p.kind).toBe('clustering');
      expect(p.apiVersion).toBe(2);
      expect(Object.isFrozen(p)).toBe(true);
      expect(JSON.parse(JSON.stringify(p.options))).toEqual(p.options);
      const labels = await p.cluster(cb);
      expect(labels).toHaveLength(100);
      expect(new Set(Array.from(labels).filter((l) => l >= 0)).size, p.name).toBe(4);
    }
    expect(kmeans().options).toBeUndefined();
    expect(clusteringPlugins.kmeans).toBe(kmeans);
  });

  it('validate options at construction', () => {
    expect(() => kmeans({ k: 0.5 })).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_CONFIG' }));
    expect(() => kmeans({ covariance: 'full' } as never)).toThrowError(/Valid options: k, space/);
    expect(() => hdbscan({ minClusterSize: 1 })).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_CONFIG' }));
    expect(() => gmm({ space: 'nowhere' as 'weights' })).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_CONFIG' }));
  });

  it('are registered under kmeans, gmm and hdbscan by ./register', async () => {
    expect(registry.list('clustering')).toEqual(expect.arrayContaining(['gmm', 'hdbscan', 'kmeans']));
    const p = registry.resolve('clustering', { name: 'kmeans', options: { k: 4 } });
    expect(p.name).toBe('kmeans');
    expect(p.options).toEqual({ k: 4 });
    const labels = await p.cluster(blobCodebook());
    expect(new Set(labels).size).toBe(4);
  });
});
