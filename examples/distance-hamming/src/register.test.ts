// Names: after importing './register.js' the distance resolves by name in configs and in saved models.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { expect, expectTypeOf, it } from 'vitest';
import { describeBackends } from '@somkit/testing';
import { registry, type DistanceNames } from '@somkit/plugin-api';
import { SOM } from '@somkit/core';
import './register.js';
import { hamming, type HammingOptions } from './index.js';
import { binaryData } from './binaryData.fixture.js';

it('registers the name and types it', () => {
  expect(registry.list('distance')).toContain('somkit-distance-hamming/hamming');
  expect(registry.resolve('distance', 'somkit-distance-hamming/hamming').name).toBe(hamming().name);
  expectTypeOf<DistanceNames['somkit-distance-hamming/hamming']>().toEqualTypeOf<HammingOptions | undefined>();
});

describeBackends(['cpu', 'wasm'], () => {
  it('works by name, and a saved model naming it reloads without extra arguments', async () => {
    const before = tf.memory().numTensors;
    const { data } = binaryData();
    const som = new SOM({
      rows: 3,
      cols: 3,
      dims: 16,
      epochs: 3,
      distance: { name: 'somkit-distance-hamming/hamming', options: { threshold: 0.5 } },
    });
    expect(som.plugins.distance.name).toBe('somkit-distance-hamming/hamming');
    await som.fit(data);
    const file = JSON.stringify(som.toJSON());
    const back = await SOM.fromJSON(file);
    expect(back.plugins.distance.name).toBe('somkit-distance-hamming/hamming');
    expect(back.plugins.distance.options).toEqual({ threshold: 0.5 });
    expect([...(await back.identifyBmus(data))]).toEqual([...(await som.identifyBmus(data))]);
    expect((await back.evaluate(data)).qe).toBeCloseTo((await som.evaluate(data)).qe, 6);
    som.dispose();
    back.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a plain string name works too', async () => {
    const som = new SOM({ rows: 2, cols: 2, dims: 16, epochs: 1, distance: 'somkit-distance-hamming/hamming' });
    await som.fit(binaryData().data);
    expect(som.toJSON().config.distance).toEqual({ name: 'somkit-distance-hamming/hamming' });
    som.dispose();
  });
});
