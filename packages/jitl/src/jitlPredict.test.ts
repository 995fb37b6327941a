import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { isSomError } from '@somkit/plugin-api';
import { SOM } from '@somkit/core';
import { Rng } from '@somkit/geometry';
import { buildIndex, collectSamples, fitLocalModel, indexFromMembers, jitlPredict } from './index.js';

/** y = |x1| + 0.5·x2 on [−2, 2]²: piecewise linear, so a global line fits it badly. */
function dataset(n: number, seed = 3): { x: number[][]; y: number[] } {
  const r = new Rng(seed);
  const x = Array.from({ length: n }, () => [r.next() * 4 - 2, r.next() * 4 - 2]);
  return { x, y: x.map(([a, b]) => Math.abs(a!) + 0.5 * b!) };
}

describe('jitlPredict', () => {
  let som: SOM;
  let before = 0;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    som.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('predicts a piecewise-linear target from local models better than one global model', async () => {
    const { x, y } = dataset(800);
    som = new SOM({ rows: 8, cols: 8, dims: 2, rule: 'batch-map', init: 'pca', epochs: 10, sigma: 1.5 });
    await som.fit(x);
    const index = await buildIndex(som, x);
    expect(index.n).toBe(800);
    expect(index.members.reduce((s, m) => s + m.length, 0)).toBe(800);
    const test = dataset(40, 9);
    const preds = await jitlPredict(test.x, { som, index, data: x, outputs: y, minBufferThreshold: 30 });
    const global = fitLocalModel(x, y);
    let localErr = 0;
    let globalErr = 0;
    test.x.forEach((q, i) => {
      localErr += Math.abs(preds[i]!.prediction[0]! - test.y[i]!);
      globalErr += Math.abs(global.predict(q)[0]! - test.y[i]!);
      expect(preds[i]!.m).toBeGreaterThan(30);
      expect(preds[i]!.indices).toHaveLength(preds[i]!.m);
    });
    expect(localErr / 40).toBeLessThan(0.15);
    expect(localErr).toBeLessThan(globalErr / 3);
  });

  it('one query equals collectSamples + fitLocalModel + predict', async () => {
    const { x, y } = dataset(300);
    som = new SOM({ rows: 5, cols: 5, dims: 2, rule: 'batch-map', init: 'pca', epochs: 5 });
    await som.fit(x);
    const index = await buildIndex(som, x);
    const q = [0.5, -1];
    const one = await jitlPredict(q, { som, index, data: x, outputs: y, ridge: 1e-3 });
    const buf = await collectSamples(q, { som, index, data: x, outputs: y });
    const model = fitLocalModel(buf.samples, buf.outputs!, { ridge: 1e-3 });
    expect(one.prediction[0]).toBeCloseTo(model.predict(q)[0]!, 9);
    expect(one.m).toBe(buf.samples.shape[0]);
  });

  it('gives NaN predictions for an empty buffer and needs outputs', async () => {
    som = new SOM({ rows: 3, cols: 3, dims: 2 });
    await som.setWeights(Array.from({ length: 9 }, (_, u) => [u, u]));
    const index = indexFromMembers(som, [], 0);
    const p = await jitlPredict([0, 0], { som, index, data: [], outputs: [] });
    expect(p.m).toBe(0);
    expect(p.prediction).toHaveLength(1);
    expect(p.prediction[0]).toBeNaN();
    await expect(jitlPredict([0, 0], { som, index, data: [] } as never)).rejects.toSatisfy((e: unknown) => isSomError(e, 'ERR_INVALID_INPUT'));
  });
  it('falls back to the mean of the retrieved outputs when a cell has too few samples for a linear model', async () => {
    // 10 features, ~4 samples per cell (bmu_only): a least-squares fit on 4 points in 10-d
    // interpolates noise and used to predict far outside the outputs (176–768 on a mean of ~150).
    const r = new Rng(11);
    const d = 10;
    const x = Array.from({ length: 100 }, () => Array.from({ length: d }, () => r.next() * 2 - 1));
    const y = x.map((row) => 150 + 40 * row[0]! + 20 * (r.next() - 0.5));
    som = new SOM({ rows: 5, cols: 5, dims: d, rule: 'batch-map', init: 'pca', epochs: 5 });
    await som.fit(x);
    const index = await buildIndex(som, x);
    const queries = Array.from({ length: 20 }, () => Array.from({ length: d }, () => r.next() * 2 - 1));
    const preds = await jitlPredict(queries, { som, index, data: x, outputs: y, mode: 'bmu_only' });
    for (const p of preds) {
      if (p.m === 0) continue;
      const ys = Array.from(p.indices, (k) => y[k]!);
      expect(p.m).toBeLessThan(2 * (d + 1));
      expect(p.model).toBe('mean');
      expect(p.reason).toMatch(/fewer than minSamples 22/);
      expect(p.prediction[0]).toBeCloseTo(ys.reduce((a, b) => a + b, 0) / ys.length, 3);
      expect(p.prediction[0]).toBeGreaterThanOrEqual(Math.min(...ys) - 1e-3);
      expect(p.prediction[0]).toBeLessThanOrEqual(Math.max(...ys) + 1e-3);
    }
    // The knn mode grows the buffer past minSamples, so it fits the linear model.
    const knn = await jitlPredict(queries, { som, index, data: x, outputs: y, mode: 'bmu_neighborhood_knn' });
    expect(knn.every((p) => p.model === 'linear' && p.m >= 22)).toBe(true);
    // minSamples: 1 keeps the bare linear fit on any non-empty buffer; bad values are refused.
    const bare = await jitlPredict(queries[0]!, { som, index, data: x, outputs: y, mode: 'bmu_only', minSamples: 1 });
    expect(bare.model === 'linear' || bare.m === 0).toBe(true);
    await expect(jitlPredict(queries[0]!, { som, index, data: x, outputs: y, minSamples: 0 })).rejects.toSatisfy((e: unknown) => isSomError(e, 'ERR_INVALID_CONFIG'));
  });
});
