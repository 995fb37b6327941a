import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { NeighborhoodPlugin } from '@somkit/plugin-api';
import { bubble } from './bubble.js';
import { gaussian } from './gaussian.js';
import { mexicanHat } from './mexicanHat.js';
import { triangle } from './triangle.js';

/** Squared grid distances of a 5×5 rectangular grid from its centre (2, 2), flat index r·5 + c. */
const D2: number[] = Array.from({ length: 25 }, (_, i) => (Math.floor(i / 5) - 2) ** 2 + ((i % 5) - 2) ** 2);
const CENTRE = 12;

/** Runs `fn` and asserts it leaves the live tensor count unchanged. */
function leakFree(fn: () => void): () => void {
  return () => {
    const before = tf.memory().numTensors;
    fn();
    expect(tf.memory().numTensors).toBe(before);
  };
}

/** Kernel weights for plain squared distances; checks shape, dtype, ownership and input survival. */
function weights(k: NeighborhoodPlugin, d2: number[], sigma: number, shape: number[] = [d2.length]): number[] {
  const t = tf.tensor(d2, shape);
  const before = tf.memory().numTensors;
  const h = k.weights(t, sigma);
  expect(tf.memory().numTensors).toBe(before + 1);
  expect(h.shape).toEqual(shape);
  expect(h.dtype).toBe('float32');
  expect(t.isDisposed).toBe(false);
  const out = Array.from(h.dataSync());
  tf.dispose([t, h]);
  return out;
}

function expectAllClose(actual: number[], expected: number[], tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => {
    if (Math.abs(v - expected[i]!) > tol) throw new Error(`[${i}]: expected ${expected[i]}, got ${v}`);
  });
}

const argMax = (a: number[]): number => a.indexOf(Math.max(...a));

describe('neighbourhood plugin objects', () => {
  it('carry kind, name, apiVersion and nonNegative', () => {
    const all: [NeighborhoodPlugin, string, boolean][] = [
      [gaussian(), 'gaussian', true],
      [mexicanHat(), 'mexican_hat', false],
      [bubble(), 'bubble', true],
      [triangle(), 'triangle', true],
    ];
    for (const [k, name, nonNegative] of all) {
      expect(k.kind).toBe('neighborhood');
      expect(k.name).toBe(name);
      expect(k.apiVersion).toBe(2);
      expect(k.nonNegative).toBe(nonNegative);
      expect(Object.isFrozen(k)).toBe(true);
    }
  });
});

for (const b of ['cpu', 'wasm']) {
  describe(`neighbourhoods on ${b}`, () => {
    beforeAll(async () => {
      await tf.setBackend(b);
      await tf.ready();
      expect(tf.getBackend()).toBe(b);
    });

    it('gaussian: exp(−d²/(2σ²)), max 1 at the centre of a 5×5 grid', leakFree(() => {
      const h = weights(gaussian(), D2, 1);
      expect(argMax(h)).toBe(CENTRE);
      expect(h[CENTRE]).toBeCloseTo(1, 6);
      expectAllClose(h, D2.map((d2) => Math.exp(-d2 / 2)));
      expect(Math.min(...h)).toBeGreaterThan(0);
      expectAllClose(weights(gaussian(), D2, 2.5), D2.map((d2) => Math.exp(-d2 / (2 * 6.25))));
    }));

    it('mexican_hat: max 1 at the centre, zero at d = 2σ, negative beyond', leakFree(() => {
      const h = weights(mexicanHat(), D2, 1);
      expect(argMax(h)).toBe(CENTRE);
      expect(h[CENTRE]).toBeCloseTo(1, 6);
      expectAllClose(h, D2.map((d2) => (1 - d2 / 4) * Math.exp(-d2 / 2)));
      // (2, 0), (0, 2), (2, 4), (4, 2) lie at d = 2 = 2σ.
      for (const i of [10, 2, 14, 22]) expect(Math.abs(h[i]!)).toBeLessThan(1e-7);
      // Everything farther than 2σ is negative; everything nearer is positive.
      D2.forEach((d2, i) => {
        if (d2 > 4) expect(h[i]).toBeLessThan(0);
        if (d2 < 4) expect(h[i]).toBeGreaterThan(0);
      });
      // Zero crossing scales with σ: d² = 4σ².
      const s = weights(mexicanHat(), [0, 9 - 1e-3, 9, 9 + 1e-3, 6 * 2.25], 1.5);
      expect(s[0]).toBeCloseTo(1, 6);
      expect(s[1]).toBeGreaterThan(0);
      expect(Math.abs(s[2]!)).toBeLessThan(1e-7);
      expect(s[3]).toBeLessThan(0);
      // Deepest point d = √6·σ: −e⁻³/2.
      expect(s[4]).toBeCloseTo(-Math.exp(-3) / 2, 6);
    }));

    it('bubble: the closed disc d² ≤ σ², centre + 4 orthogonal neighbours at σ = 1', leakFree(() => {
      const h = weights(bubble(), D2, 1);
      const support = h.flatMap((v, i) => (v !== 0 ? [i] : []));
      expect(support).toEqual([7, 11, 12, 13, 17]);
      expect(h.every((v) => v === 0 || v === 1)).toBe(true);
      // σ = √2 takes in the diagonals; σ slightly below 1 only the centre.
      expect(weights(bubble(), D2, Math.SQRT2 + 1e-6).reduce((a, v) => a + v, 0)).toBe(9);
      expect(weights(bubble(), D2, 0.99).reduce((a, v) => a + v, 0)).toBe(1);
    }));

    it('triangle: max(0, σ − d)/σ, only the centre at σ = 1', leakFree(() => {
      const h1 = weights(triangle(), D2, 1);
      expect(h1.flatMap((v, i) => (v !== 0 ? [i] : []))).toEqual([CENTRE]);
      expect(h1[CENTRE]).toBeCloseTo(1, 6);
      const h3 = weights(triangle(), D2, 3);
      expect(argMax(h3)).toBe(CENTRE);
      expectAllClose(h3, D2.map((d2) => Math.max(0, 3 - Math.sqrt(d2)) / 3));
      expect(Math.min(...h3)).toBeGreaterThanOrEqual(0);
    }));

    it('every kernel keeps any input shape and gives 1 at d² = 0', leakFree(() => {
      for (const k of [gaussian(), mexicanHat(), bubble(), triangle()]) {
        // [5, 5] grid image, and [u, b] = [25, 2] with two BMUs.
        const grid = weights(k, D2, 1.3, [5, 5]);
        expect(grid[CENTRE]).toBeCloseTo(1, 6);
        const ub = weights(k, D2.flatMap((d2) => [d2, 0]), 1.3, [25, 2]);
        ub.forEach((v, i) => {
          if (i % 2 === 1) expect(v).toBeCloseTo(1, 6);
        });
        if (k.nonNegative) expect(Math.min(...ub)).toBeGreaterThanOrEqual(0);
      }
    }));

    it('is tidy-safe inside a caller tidy', leakFree(() => {
      const t = tf.tensor1d(D2);
      const kept = tf.tidy(() => gaussian().weights(tf.add(t, 0), 1));
      expect(kept.isDisposed).toBe(false);
      tf.dispose([t, kept]);
    }));
  });
}
