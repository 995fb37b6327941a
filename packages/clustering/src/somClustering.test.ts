import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Codebook } from '@somkit/plugin-api';
import { iris } from '@somkit/datasets';
import { SOM } from '@somkit/core';
import { adjustedRandIndex, cluster, hitCounts, type ClusterMethod } from './index.js';
import { seededRandom } from './seededRandom.js';

/** 4 well-separated Gaussian blobs in 5-D: centres at ±6 on distinct axes, spread 0.5. */
function blobs(perBlob: number, seed = 11): { x: number[][]; y: number[] } {
  const r = seededRandom(seed);
  const centers = [
    [6, 0, 0, 0, 0],
    [-6, 0, 0, 0, 0],
    [0, 6, 0, 6, 0],
    [0, -6, 0, 0, 6],
  ];
  const x: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < centers.length; c++) {
    for (let i = 0; i < perBlob; i++) {
      x.push(centers[c]!.map((v) => v + 0.5 * r.normal()));
      y.push(c);
    }
  }
  return { x, y };
}

describe('clustering a trained SOM', () => {
  let before = 0;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('recovers 4 blobs with every method (ARI ≥ 0.9 through the BMUs)', async () => {
    const { x, y } = blobs(100);
    const som = new SOM({ rows: 10, cols: 10, dims: 5, rule: 'batch-map', init: 'pca', epochs: 10, sigma: 2, sigmaDecay: 'asymptotic_decay' });
    try {
      await som.fit(x);
      const cb = som.getCodebook();
      const bmus = await som.identifyBmus(x);
      for (const method of ['kmeans', 'gmm', 'hdbscan'] as ClusterMethod[]) {
        const res = await cluster(cb, method === 'hdbscan' ? { method } : { method, k: 4 });
        // Each sample takes the label of its BMU. For HDBSCAN, samples whose BMU is a noise unit
        // are left out of the ARI, and they must be at most 10 % of the samples.
        const sampleLabels = Array.from(bmus, (b) => res.labels[b]!);
        const kept = sampleLabels.map((l, i) => (l >= 0 ? i : -1)).filter((i) => i >= 0);
        const ari = adjustedRandIndex(kept.map((i) => y[i]!), kept.map((i) => sampleLabels[i]!));
        expect(ari, method).toBeGreaterThanOrEqual(0.9);
        expect(kept.length / x.length, method).toBeGreaterThanOrEqual(0.9);
        expect(res.k, method).toBe(4);
        expect(res.labels.length).toBe(100);
        expect(res.metrics.silhouette).toBeGreaterThan(0.5);
        expect(res.metrics.topologicalCoherence).toBeGreaterThan(0);
        expect(res.metrics.topologicalCoherence).toBeLessThanOrEqual(1);
      }
      // The elbow finds the 4 blobs on the codebook too.
      const auto = await cluster(cb, { method: 'kmeans' });
      expect(auto.k).toBe(4);
      expect(auto.curve?.ks).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    } finally {
      som.dispose();
    }
  });

  it('weighted by hits, every method recovers blobs on a map with many interpolating units (bench/clustering.mjs in small)', async () => {
    // blobs-v1 in small: 6 centres uniform in [−10, 10]⁸, std 1, 1,200 samples, standardised;
    // a 14 × 14 map (σ = 7) leaves most units between the blobs without hits.
    const r = seededRandom(3);
    const d = 8;
    const c = Array.from({ length: 6 }, () => Array.from({ length: d }, () => r.next() * 20 - 10));
    const y = Array.from({ length: 1200 }, () => Math.floor(r.next() * 6));
    const raw = y.map((g) => c[g]!.map((v) => v + r.normal()));
    for (let j = 0; j < d; j++) {
      const m = raw.reduce((a, p) => a + p[j]!, 0) / raw.length;
      const sd = Math.sqrt(raw.reduce((a, p) => a + (p[j]! - m) ** 2, 0) / raw.length);
      for (const p of raw) p[j] = (p[j]! - m) / sd;
    }
    // (σ decays asymptotically, to 7/3: the schedule this case was built with; the default now ends at 1.)
    const som = new SOM({ rows: 14, cols: 14, dims: d, rule: 'batch-map', init: 'pca', epochs: 20, sigma: 7, sigmaDecay: 'asymptotic_decay', seed: 1 });
    try {
      await som.fit(raw);
      const bmus = await som.identifyBmus(raw);
      const hits = hitCounts(bmus, som.units);
      expect(hits.filter((h) => h > 0).length).toBeLessThan(som.units / 2);
      const ari = (labels: Int32Array): number => adjustedRandIndex(y, Array.from(bmus, (b) => labels[b]!));
      for (const method of ['kmeans', 'gmm'] as ClusterMethod[]) {
        const res = await cluster(som, { method, k: 6, weights: hits });
        expect(ari(res.labels), method).toBeGreaterThanOrEqual(0.95);
      }
      // No parameters: noise samples count as one more group, so this ARI is strict.
      const hd = await cluster(som, { method: 'hdbscan', weights: hits });
      expect(ari(hd.labels)).toBeGreaterThanOrEqual(0.85);
    } finally {
      som.dispose();
    }
  });

  it('clusters a hexagonal toroidal map as well', async () => {
    const { x, y } = blobs(60, 5);
    const som = new SOM({ rows: 8, cols: 8, dims: 5, topology: 'hexagonal', pbc: true, rule: 'batch-map', init: 'pca', epochs: 10, sigma: 2 });
    try {
      await som.fit(x);
      const res = await cluster(som.getCodebook(), { method: 'kmeans', k: 4 });
      const bmus = await som.identifyBmus(x);
      expect(adjustedRandIndex(y, Array.from(bmus, (b) => res.labels[b]!))).toBeGreaterThanOrEqual(0.9);
      expect(res.metrics.topologicalCoherence).toBeGreaterThan(0);
    } finally {
      som.dispose();
    }
  });

  it('k-means with k = 3 on the iris codebook agrees with the species (ARI ≥ 0.65; measured 0.694)', async () => {
    const ds = iris();
    const data = { data: ds.data, shape: [ds.n, ds.d] as [number, number] };
    const som = new SOM({ rows: 10, cols: 10, dims: ds.d, rule: 'batch-map', init: 'pca', epochs: 20, sigma: 2 });
    try {
      await som.fit(data);
      const res = await cluster(som.getCodebook(), { method: 'kmeans', k: 3 });
      const bmus = await som.identifyBmus(data);
      const ari = adjustedRandIndex(Array.from(ds.target), Array.from(bmus, (b) => res.labels[b]!));
      expect(ari).toBeGreaterThanOrEqual(0.65);
    } finally {
      som.dispose();
    }
  });
});
