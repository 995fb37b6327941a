// Names: after importing './register.js' the schedule resolves by name in configs and saved models.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { expect, expectTypeOf, it } from 'vitest';
import { describeBackends } from '@somkit/testing';
import { registry, type ScheduleNames } from '@somkit/plugin-api';
import { SOM } from '@somkit/core';
import './register.js';
import { type CosineAnnealingOptions } from './index.js';
import { blobs } from './blobs.fixture.js';

it('registers the name and types it', () => {
  expect(registry.list('schedule')).toContain('somkit-schedule-cosine/cosine_annealing');
  expectTypeOf<ScheduleNames['somkit-schedule-cosine/cosine_annealing']>().toEqualTypeOf<CosineAnnealingOptions | undefined>();
});

describeBackends(['cpu', 'wasm'], () => {
  it('works by name, and a saved model naming it reloads and keeps training on the same schedule', async () => {
    const before = tf.memory().numTensors;
    const data = blobs();
    const som = new SOM({
      rows: 3,
      cols: 3,
      dims: 3,
      epochs: 4,
      lrDecay: { name: 'somkit-schedule-cosine/cosine_annealing', options: { final: 0.02 } },
      sigmaDecay: 'somkit-schedule-cosine/cosine_annealing',
    });
    await som.fit(data);
    const back = await SOM.fromJSON(JSON.stringify(som.toJSON()));
    expect(back.plugins.lrDecay.name).toBe('somkit-schedule-cosine/cosine_annealing');
    expect(back.plugins.lrDecay.options).toEqual({ final: 0.02 });
    expect(back.plugins.sigmaDecay.value(1, 3, 4)).toBeCloseTo(0.01, 12);
    expect([...(await back.identifyBmus(data))]).toEqual([...(await som.identifyBmus(data))]);
    const more = await back.fit(data, { epochs: 2 });
    expect(more.learningRate[1]).toBeCloseTo(0.02, 6);
    som.dispose();
    back.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
