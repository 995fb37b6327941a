// A fit that would overflow float32 stops with a coded error, keeps the last finite codebook, and
// never leaves a model that cannot be saved and loaded again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { isSomError } from '@somkit/plugin-api';
import { SOM } from '../SOM.js';

const data = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i), (i % 4) - 1.5]);

describe('non-finite training', () => {
  let before = 0;
  beforeEach(async () => {
    await tf.setBackend('cpu');
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('refuses a radius float32 cannot evaluate and a learning rate that overflows, at config time', () => {
    for (const sigma of [1e-30, 1e-45]) {
      let err: unknown;
      try {
        new SOM({ rows: 3, cols: 3, dims: 3, sigma });
      } catch (e) {
        err = e;
      }
      expect(isSomError(err, 'ERR_INVALID_CONFIG')).toBe(true);
      expect((err as Error).message).toMatch(/sigma: expected a radius ≥ 1e-19/);
    }
    expect(() => new SOM({ rows: 3, cols: 3, dims: 3, learningRate: 1e308 })).toThrow(/learningRate: expected a rate ≤ 1e\+30/);
  });

  for (const rule of ['minibatch', 'batch-map'] as const) {
    it(`${rule}: data too large for float32 distances stops with ERR_NON_FINITE naming the causes; the codebook stays finite and the model reloads`, async () => {
      const huge = data.map((r) => r.map((v) => v * 1e20));
      const som = new SOM({ rows: 3, cols: 3, dims: 3, epochs: 2, rule, init: 'random' });
      try {
        const err = await som.fit(huge).then(() => undefined, (e: unknown) => e);
        expect(isSomError(err, 'ERR_NON_FINITE')).toBe(true);
        expect((err as Error).message).toMatch(/epoch 0 .*scale the data/);
        expect(som.getWeights().every(Number.isFinite)).toBe(true);
        const back = await SOM.fromJSON(JSON.parse(JSON.stringify(som.toJSON())));
        back.dispose();
      } finally {
        som.dispose();
      }
    });
  }

  it("init 'pca' (the default) on data whose covariance overflows float32 stops with ERR_NON_FINITE before training, the map uninitialised", async () => {
    const huge = data.map((r) => r.map((v) => v * 1e20));
    const som = new SOM({ rows: 3, cols: 3, dims: 3, epochs: 2 });
    try {
      const err = await som.fit(huge).then(() => undefined, (e: unknown) => e);
      expect(isSomError(err, 'ERR_NON_FINITE')).toBe(true);
      expect((err as Error).message).toMatch(/init: 'pca' .*overflows float32.*Scale the data.*init: 'random'/);
      expect(som.isInitialized).toBe(false);
    } finally {
      som.dispose();
    }
  });

  it('a learning rate that blows the codebook up stops in the epoch it happens', async () => {
    const som = new SOM({ rows: 3, cols: 3, dims: 3, epochs: 3, learningRate: 1e29, batchSize: 4, rule: 'minibatch' });
    try {
      const err = await som.fit(data).then(() => undefined, (e: unknown) => e);
      expect(isSomError(err, 'ERR_NON_FINITE')).toBe(true);
      expect((err as Error).message).toMatch(/learning rate that overshoots/);
      expect(som.getWeights().every(Number.isFinite)).toBe(true);
      expect(som.history.qe.every(Number.isFinite)).toBe(true);
    } finally {
      som.dispose();
    }
  });
});
