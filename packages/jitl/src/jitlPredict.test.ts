import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { isSomError } from '@somkit/plugin-api';
import { SOM, Rng } from '@somkit/core';
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
});
