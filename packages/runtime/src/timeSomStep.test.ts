import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { timeSomStep } from './timeSomStep.js';

describe('timeSomStep', () => {
  it('times tiny SOM steps on the active backend and leaks no tensor', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const ms = await timeSomStep({ n: 32, units: 16, dims: 8, steps: 3 });
    expect(Number.isFinite(ms) && ms >= 0).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
