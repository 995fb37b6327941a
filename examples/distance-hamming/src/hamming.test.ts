// The plugin as a third party would test it: the @somkit/testing conformance suite on every
// backend, use as an object, and what happens to a saved model when nobody registered the name.
// This file never imports './register.js' (see register.test.ts for names).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { describeBackends, expectClose, runDistanceConformance } from '@somkit/testing';
import { isSomError, registry } from '@somkit/plugin-api';
import { SOM } from '@somkit/core';
import { hamming } from './index.js';
import { binaryData } from './binaryData.fixture.js';

describeBackends(['cpu', 'wasm'], () => {
  runDistanceConformance(hamming());
  runDistanceConformance(hamming({ threshold: 0.8 }), { title: 'distance conformance: hamming, threshold 0.8' });

  it('counts differing bits exactly', async () => {
    const x = tf.tensor2d([[1, 0, 1, 1], [0, 0, 0, 0]]);
    const w = tf.tensor2d([[1, 0, 1, 1], [0.9, 0.2, 0.1, 0.7], [0, 1, 0, 0]]);
    const d = hamming().pairwise(x, w);
    expect(await d.array()).toEqual([[0, 1, 4], [3, 2, 1]]);
    tf.dispose([x, w, d]);
  });

  it('trains a SOM when passed as an object, and the model file names it', async () => {
    const before = tf.memory().numTensors;
    const { data, labels } = binaryData();
    const som = new SOM({ rows: 4, cols: 4, dims: 16, epochs: 8, sigma: 1.5, distance: hamming() });
    await som.fit(data);
    const { qe } = await som.evaluate(data);
    // 1–2 flipped bits per sample: a trained map is within about one bit of each sample.
    expect(qe).toBeLessThan(1.5);
    const bmus = await som.identifyBmus(data);
    // The prototypes are ≥ 8 bits apart: no unit is the BMU of samples of two prototypes.
    const owner = new Map<number, number>();
    bmus.forEach((u, i) => {
      expect(owner.get(u) ?? labels[i]).toBe(labels[i]);
      owner.set(u, labels[i]!);
    });
    expect(som.toJSON().config.distance).toEqual({ name: 'somkit-distance-hamming/hamming' });
    som.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stores its options in the model file', async () => {
    const som = new SOM({ rows: 3, cols: 3, dims: 16, epochs: 1, distance: hamming({ threshold: 0.4 }) });
    await som.fit(binaryData().data);
    const json = JSON.parse(JSON.stringify(som.toJSON()));
    expect(json.config.distance).toEqual({ name: 'somkit-distance-hamming/hamming', options: { threshold: 0.4 } });
    som.dispose();
  });

  it('SOM.fromJSON(json, { plugins: [hamming] }) reloads it without registration', async () => {
    const { data } = binaryData();
    const som = new SOM({ rows: 3, cols: 3, dims: 16, epochs: 2, distance: hamming({ threshold: 0.4 }) });
    await som.fit(data);
    const json = JSON.parse(JSON.stringify(som.toJSON()));
    try {
      const back = await SOM.fromJSON(json, { plugins: [hamming] });
      expect(back.plugins.distance.options).toEqual({ threshold: 0.4 });
      expect([...(await back.identifyBmus(data))]).toEqual([...(await som.identifyBmus(data))]);
      expectClose(back.getWeights(), som.getWeights(), 0);
      back.dispose();
    } finally {
      som.dispose();
    }
  });

  it('without registration, SOM.fromJSON fails with ERR_UNKNOWN_PLUGIN naming the package to import', async () => {
    expect(registry.has('distance', 'somkit-distance-hamming/hamming')).toBe(false);
    const { data } = binaryData();
    const som = new SOM({ rows: 2, cols: 2, dims: 16, epochs: 1, distance: hamming() });
    await som.fit(data);
    const json = JSON.stringify(som.toJSON());
    som.dispose();
    const err = await SOM.fromJSON(json).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSomError(err, 'ERR_UNKNOWN_PLUGIN')).toBe(true);
    expect((err as Error).message).toContain("Unknown distance 'somkit-distance-hamming/hamming'");
    expect((err as Error).message).toContain("import 'somkit-distance-hamming/register'");
  });
});

describe('hamming options', () => {
  it('rejects a threshold that is not a finite number', () => {
    expect(() => hamming({ threshold: Number.NaN })).toThrow(/JSON|threshold/);
    expect(() => hamming({ threshold: 'half' as unknown as number })).toThrow(/threshold/);
  });
});
