// A plugin that throws inside fit must not leak tensors (issue 17, Low), and an aborted fit can be
// finished with initialEpoch: the schedules continue from that epoch, the history is appended.
import { beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { defineDistance, defineNeighborhood, isSomError } from '@somkit/plugin-api';
import { euclidean, gaussian } from '@somkit/kernels';
import { SOM } from '../SOM.js';

const data = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7)]);

function failing(after: number) {
  let calls = 0;
  const g = gaussian();
  return defineNeighborhood('test/failing', () => ({
    nonNegative: true,
    weights: (d2, sigma) => {
      if (++calls > after) throw new Error('kernel failed');
      return g.weights(d2, sigma);
    },
  }))();
}

describe('faults inside fit', () => {
  beforeEach(async () => {
    await tf.setBackend('cpu');
  });

  for (const rule of ['minibatch', 'batch-map'] as const) {
    for (const after of [0, 1]) {
      it(`a neighbourhood plugin that throws (${rule}, after ${after} calls) leaks no tensor`, async () => {
        const before = tf.memory().numTensors;
        const som = new SOM({ rows: 4, cols: 4, dims: 2, epochs: 3, rule, neighborhood: failing(after) });
        await expect(som.fit(data)).rejects.toThrow(/kernel failed/);
        som.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }

  for (const rule of ['minibatch', 'batch-map'] as const) {
    it(`a distance plugin that throws (${rule}) leaks no tensor`, async () => {
      const e = euclidean();
      let calls = 0;
      const bad = defineDistance('test/failing', () => ({
        pairwise: (x, w) => {
          if (++calls > 1) throw new Error('distance failed');
          return e.pairwise(x, w);
        },
      }))();
      const before = tf.memory().numTensors;
      const som = new SOM({ rows: 4, cols: 4, dims: 2, epochs: 3, rule, distance: bad, engine: 'tfjs' });
      await expect(som.fit(data)).rejects.toThrow(/distance failed/);
      som.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('initialEpoch finishes an aborted run on the schedule of the full run, appending to the history', async () => {
    const full = new SOM({ rows: 4, cols: 4, dims: 2, epochs: 6, engine: 'tfjs' });
    await full.fit(data, { shuffle: false });
    const signal = { aborted: false };
    const som = new SOM({ rows: 4, cols: 4, dims: 2, epochs: 6, engine: 'tfjs' });
    let err: unknown;
    try {
      await som.fit(data, { shuffle: false, signal, yieldEvery: 'epoch', onEpochEnd: (e) => void (e === 2 && (signal.aborted = true)) });
    } catch (e) {
      err = e;
    }
    expect(isSomError(err, 'ERR_ABORTED')).toBe(true);
    expect(som.history.sigma).toEqual(full.history.sigma.slice(0, 3));
    const rest = await som.fit(data, { shuffle: false, initialEpoch: som.history.sigma.length });
    expect(rest.sigma).toEqual(full.history.sigma.slice(3));
    expect(som.history.sigma).toEqual(full.history.sigma);
    expect(som.history.learningRate).toEqual(full.history.learningRate);
    expect(som.getWeights()).toEqual(full.getWeights());
    full.dispose();
    som.dispose();
  });
});
