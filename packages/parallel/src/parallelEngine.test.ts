import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { euclidean, cosine } from '@somkit/kernels';
import { bruteForce } from '@somkit/search';
import { SOM, Rng } from '@somkit/core';
import { parallelEngine } from './parallelEngine.js';

const engine = parallelEngine({ threads: 2, minWork: 0 });

function blobs(n: number, d: number, seed: number): number[][] {
  const r = new Rng(seed);
  const c = Array.from({ length: 4 }, () => Array.from({ length: d }, () => r.next() * 20 - 10));
  return Array.from({ length: n }, (_, i) => c[i % 4]!.map((v) => v + r.normal() * 0.5));
}

describe('parallelEngine (worker threads)', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });
  afterAll(() => engine.dispose?.());

  it('searchAsync equals the exact brute force; product equals matMul; no leaks', async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(blobs(101, 6, 1));
    const w = tf.tensor2d(blobs(30, 6, 2));
    const ctx = { backend: 'wasm', distance: euclidean(), units: 30, dims: 6 };
    const a = await engine.searchAsync!(x, w, 2, ctx);
    const b = bruteForce().search(x, w, 2, ctx);
    expect([...(await a.indices.data())]).toEqual([...(await b.indices.data())]);
    const da = await a.distances.data();
    const db = await b.distances.data();
    for (let i = 0; i < da.length; i++) expect(da[i]).toBeCloseTo(db[i]!, 3);
    const m = tf.randomNormal([17, 9]) as tf.Tensor2D;
    const n = tf.randomNormal([9, 5]) as tf.Tensor2D;
    const p = await engine.product!(m, n);
    const q = tf.matMul(m, n);
    const pd = await p.data();
    const qd = await q.data();
    for (let i = 0; i < pd.length; i++) expect(pd[i]).toBeCloseTo(qd[i]!, 4);
    tf.dispose([x, w, a.indices, a.distances, b.indices, b.distances, m, n, p, q]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('supports() says why it refuses', () => {
    expect(engine.supports({ backend: 'wasm', distance: cosine(), units: 100, dims: 100 })).toMatch(/euclidean/);
    expect(engine.supports({ backend: 'webgpu', distance: euclidean(), units: 100, dims: 100 })).toMatch(/stall/);
    expect(parallelEngine({ threads: 2 }).supports({ backend: 'wasm', distance: euclidean(), units: 4, dims: 2 })).toMatch(/too small/);
    expect(engine.supports({ backend: 'wasm', distance: euclidean(), units: 100, dims: 100 })).toBe(true);
  });

  for (const rule of ['minibatch', 'batch-map'] as const) {
    it(`training with the engine matches single-threaded training (${rule})`, async () => {
      const data = blobs(240, 5, 3);
      const init = blobs(36, 5, 4);
      const opts = { rows: 6, cols: 6, dims: 5, epochs: 3, batchSize: 64, sigma: 2, rule, topology: 'hexagonal' as const };
      const single = new SOM({ ...opts, search: 'brute-force' });
      const multi = new SOM({ ...opts, search: parallelEngine({ threads: 2, minWork: 0 }) });
      await single.setWeights(init);
      await multi.setWeights(init);
      await single.fit(data, { shuffle: false });
      await multi.fit(data, { shuffle: false });
      expect(multi.searchName).toBe('parallel');
      const a = single.getWeights();
      const b = multi.getWeights();
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 3);
      expect([...(await multi.identifyBmus(data))]).toEqual([...(await single.identifyBmus(data))]);
      const qa = await single.quantizationError(data);
      const qb = await multi.quantizationError(data);
      expect(Math.abs(qa - qb) / qa).toBeLessThan(1e-4);
      single.dispose();
      multi.dispose();
    });
  }
});
