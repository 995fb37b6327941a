import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { isSomError } from '@somkit/plugin-api';
import { Rng } from '@somkit/geometry';
import { SOM } from './SOM.js';
import { kmeansCodebook } from './kmeansCodebook.js';

/** `per` points around each centre (uniform ±0.2). */
function blobs(centres: number[][], per: number, seed: number): number[][] {
  const r = new Rng(seed);
  return centres.flatMap((c) => Array.from({ length: per }, () => c.map((v) => v + 0.4 * (r.next() - 0.5))));
}

async function centroids(x: number[][], k: number, cosine: boolean, seed: number): Promise<number[][]> {
  const t = tf.tensor2d(x);
  const before = tf.memory().numTensors;
  const c = await kmeansCodebook(t, k, cosine, new Rng(seed));
  expect(tf.memory().numTensors).toBe(before + 1);
  const out = (await c.array()) as number[][];
  tf.dispose([t, c]);
  return out;
}

const sorted = (rows: number[][]): number[][] => [...rows].sort((a, b) => Math.round(a[0]!) - Math.round(b[0]!) || Math.round(a[1]!) - Math.round(b[1]!));

describe("init: 'kmeans' / 'kmeans_cosine' (fastsom's KMeansInitializer)", () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('finds the blob centres, each centroid the mean of its members', async () => {
    const centres = [[0, 0], [10, 0], [0, 10]];
    const x = blobs(centres, 30, 1);
    const c = sorted(await centroids(x, 3, false, 42));
    sorted(centres).forEach((want, i) => want.forEach((v, j) => expect(c[i]![j]).toBeCloseTo(v, 0)));
    for (const w of c) {
      const members = x.filter((p) => Math.hypot(p[0]! - w[0]!, p[1]! - w[1]!) < 3);
      const mean = [0, 1].map((j) => members.reduce((s, p) => s + p[j]!, 0) / members.length);
      expect(w[0]).toBeCloseTo(mean[0]!, 4);
      expect(w[1]).toBeCloseTo(mean[1]!, 4);
    }
  });

  it('is deterministic for a seed', async () => {
    const x = blobs([[0, 0], [3, 1], [1, 4], [5, 5]], 20, 2);
    const a = await centroids(x, 6, false, 7);
    expect(await centroids(x, 6, false, 7)).toEqual(a);
    expect(await centroids(x, 6, true, 7)).toEqual(await centroids(x, 6, true, 7));
  });

  it('cosine groups by direction, whatever the length', async () => {
    // Two rays (directions (1, 0.1) and (0.1, 1)), each with short and long points.
    const x = [1, 1.1, 1.2, 9, 9.5, 10].flatMap((s) => [[s, 0.1 * s], [0.1 * s, s]]);
    const cos = sorted(await centroids(x, 2, true, 3));
    // Each cosine centroid is the plain mean of one ray's points (kmeans_pytorch keeps unnormalised means).
    const mean = (1 + 1.1 + 1.2 + 9 + 9.5 + 10) / 6;
    expect(cos[0]![0]).toBeCloseTo(0.1 * mean, 4);
    expect(cos[0]![1]).toBeCloseTo(mean, 4);
    expect(cos[1]![0]).toBeCloseTo(mean, 4);
  });

  it('with fewer rows than units, draws the rest with replacement', async () => {
    const c = await centroids([[0, 0], [1, 1]], 4, false, 1);
    expect(c).toHaveLength(4);
    for (const w of c) expect([[0, 0], [1, 1]].some((p) => p[0] === w[0] && p[1] === w[1])).toBe(true);
  });

  it('is an init option of the SOM by name, and other names are refused', async () => {
    const x = blobs([[0, 0], [10, 0], [0, 10], [10, 10]], 10, 4);
    for (const init of ['kmeans', 'kmeans_cosine'] as const) {
      const som = new SOM({ rows: 2, cols: 2, dims: 2, init, epochs: 1, seed: 3 });
      expect(som.config.init).toBe(init);
      await som.initialize(x);
      const w = som.getWeights();
      if (init === 'kmeans') {
        const rows = sorted([0, 1, 2, 3].map((u) => [w[2 * u]!, w[2 * u + 1]!]));
        expect(rows.map((r) => r.map((v) => Math.round(v) + 0))).toEqual([[0, 0], [0, 10], [10, 0], [10, 10]]);
      }
      // Not random rows: the random init of the same seed gives another codebook.
      const rnd = new SOM({ rows: 2, cols: 2, dims: 2, init: 'random', seed: 3 });
      await rnd.initialize(x);
      expect(rnd.getWeights()).not.toEqual(w);
      rnd.dispose();
      await som.fit(x);
      som.dispose();
    }
    const som = new SOM({ rows: 2, cols: 2, dims: 2 });
    await expect(som.initialize(x, 'kmeans++' as never)).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_CONFIG'));
    som.dispose();
    try {
      new SOM({ rows: 2, cols: 2, dims: 2, init: 'kmeans++' as never });
      expect.unreachable();
    } catch (e) {
      expect(isSomError(e) && e.code).toBe('ERR_INVALID_CONFIG');
      expect(String(e)).toMatch(/'kmeans', 'kmeans_cosine'/);
    }
  });
});
