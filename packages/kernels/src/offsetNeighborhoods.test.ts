import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { gaussian } from './gaussian.js';
import { rhomb } from './rhomb.js';
import { square } from './square.js';

/** Offsets of a 5×5 grid from its centre, flat index r·5 + c. */
const DR = Array.from({ length: 25 }, (_, i) => Math.floor(i / 5) - 2);
const DC = Array.from({ length: 25 }, (_, i) => (i % 5) - 2);

function offsetWeights(k: ReturnType<typeof rhomb>, sigma: number): number[] {
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => Array.from(k.offsetWeights!(tf.tensor1d(DR), tf.tensor1d(DC), sigma).dataSync()));
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

describe('rhomb and square (fastsom neigh_rhomb / neigh_square) over grid offsets', () => {
  it('rhomb is exp(−√(|Δr| + |Δc|)/σ): equal on diamonds, not on circles', async () => {
    await tf.setBackend('cpu');
    const h = offsetWeights(rhomb(), 2);
    h.forEach((v, i) => expect(v).toBeCloseTo(Math.exp(-Math.sqrt(Math.abs(DR[i]!) + Math.abs(DC[i]!)) / 2), 6));
    // (0, 2) and (1, 1) lie on the same diamond; a radial kernel separates them (d² 4 vs 2).
    expect(h[2 * 5 + 4]).toBeCloseTo(h[3 * 5 + 3]!, 6);
    expect(h[12]).toBe(1);
  });

  it('square is exp(−√max(|Δr|, |Δc|)/σ): equal on squares', () => {
    const h = offsetWeights(square(), 1.5);
    h.forEach((v, i) => expect(v).toBeCloseTo(Math.exp(-Math.sqrt(Math.max(Math.abs(DR[i]!), Math.abs(DC[i]!))) / 1.5), 6));
    // (0, 2), (2, 2) and (1, 2) are all on the ring of L∞ radius 2.
    expect(h[2 * 5 + 4]).toBeCloseTo(h[4 * 5 + 4]!, 6);
    expect(h[2 * 5 + 4]).toBeCloseTo(h[3 * 5 + 4]!, 6);
  });

  it('declare offsetWeights; radial kernels do not (they keep the d² path)', () => {
    expect(typeof rhomb().offsetWeights).toBe('function');
    expect(typeof square().offsetWeights).toBe('function');
    expect(gaussian().offsetWeights).toBeUndefined();
    expect(rhomb().nonNegative && square().nonNegative).toBe(true);
    expect(rhomb().separable ?? false).toBe(false);
  });

  it('weights(d²) is the kernel along one axis', () => {
    const w = tf.tidy(() => Array.from(rhomb().weights(tf.tensor1d([0, 1, 4, 9]), 2).dataSync()));
    expect(w.map((v) => Number(v.toFixed(6)))).toEqual([0, 1, 2, 3].map((d) => Number(Math.exp(-Math.sqrt(d) / 2).toFixed(6))));
  });
});
