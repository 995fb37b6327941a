// Core-level use: training and evaluating a SOM with the usearch search strategy, by object and by name.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SOM, type SomOptions } from '@somkit/core';
import { euclidean, manhattan } from '@somkit/kernels';
import { registry } from '@somkit/plugin-api';
import { resolveSearch } from '@somkit/search';
import { describeBackends } from '@somkit/testing';
import { loadUsearch } from './loadUsearch.js';
import { usearchSearch } from './index.js';
import './register.js';

const unavailable = loadUsearch();
const skipReason = typeof unavailable === 'string' ? unavailable : undefined;

/** `centers` Gaussian-ish blobs 10 apart (std ≈ 0.3) in d dimensions. */
function blobs(n: number, d: number, centers: number, seed = 5): number[][] {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const c = Array.from({ length: centers }, (_, k) => Array.from({ length: d }, (_, j) => (j === k % d ? 10 * (1 + Math.floor(k / d)) : 0)));
  return Array.from({ length: n }, (_, i) => c[i % centers]!.map((v) => v + 0.3 * (next() + next() + next() - 1.5)));
}

/** n samples spread uniformly over a 3-D box (10 wide) inside d = 8 dimensions (0.5-wide noise in the other 5). */
function slab(n: number, seed = 7): number[][] {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, () => Array.from({ length: 8 }, (_, j) => (j < 3 ? 10 * next() : 0.5 * next())));
}

describe.skipIf(skipReason !== undefined)(`SOM with usearch${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  describeBackends(['cpu', 'wasm'], () => {
    let before = 0;
    beforeEach(() => (before = tf.memory().numTensors));
    afterEach(() => expect(tf.memory().numTensors).toBe(before));

    it('batch-map: trains through the index (one build per epoch) to a QE within 2 % of the brute force, BMUs ≥ 98 % equal', async () => {
      // A spread-out manifold: on a few tight blobs most units collapse onto the blob centres and the
      // last update is so sensitive that two exact backends (cpu, wasm) already end 25 % apart.
      const data = slab(1500);
      const base: SomOptions = { rows: 16, cols: 16, dims: 8, epochs: 4, rule: 'batch-map', sigma: 4, seed: 3 };
      const strategy = usearchSearch({ minUnits: 0 });
      const ann = new SOM({ ...base, search: strategy });
      const ref = new SOM({ ...base, search: 'brute-force' });
      try {
        await ann.fit(data);
        await ref.fit(data);
        expect(ann.searchName).toBe('usearch');
        // 4 epochs → 4 codebooks searched over all 1500 samples (≥ 256 units · rebuildRatio 1).
        expect(strategy.stats().builds).toBe(4);
        expect(strategy.stats().exactSamples).toBe(0);
        const [qa, qr] = [await ann.quantizationError(data), await ref.quantizationError(data)];
        expect(Math.abs(qa - qr) / qr).toBeLessThan(0.02);
        // The ANN map's own BMUs agree with the exact search on that map.
        const exact = new SOM({ ...base, search: 'brute-force' });
        await exact.setWeights({ data: ann.getWeights(), shape: [256, 8] });
        const [ba, be] = [await ann.identifyBmus(data), await exact.identifyBmus(data)];
        exact.dispose();
        let same = 0;
        for (let i = 0; i < ba.length; i++) if (ba[i] === be[i]) same++;
        expect(same / ba.length).toBeGreaterThanOrEqual(0.98);
      } finally {
        ann.dispose();
        ref.dispose();
      }
    });

    it('minibatch: every batch sees a new codebook, so the searches run exactly (no builds) and the map equals the brute-force one', async () => {
      const data = blobs(600, 5, 6);
      const base: SomOptions = { rows: 12, cols: 12, dims: 5, epochs: 2, batchSize: 32, rule: 'minibatch', sigma: 3, learningRate: 0.5, seed: 11 };
      const strategy = usearchSearch({ minUnits: 0 });
      const ann = new SOM({ ...base, search: strategy });
      const ref = new SOM({ ...base, search: 'brute-force' });
      try {
        await ann.fit(data);
        await ref.fit(data);
        expect(strategy.stats()).toMatchObject({ builds: 0, exactSamples: 1200 });
        const [wa, wr] = [ann.getWeights(), ref.getWeights()];
        let worst = 0;
        for (let i = 0; i < wa.length; i++) worst = Math.max(worst, Math.abs(wa[i]! - wr[i]!));
        expect(worst).toBeLessThan(1e-3);
      } finally {
        ann.dispose();
        ref.dispose();
      }
    });
  });

  describe('registry', () => {
    it("'@somkit/search-usearch/register' registers 'usearch'; a spec with options trains by name", async () => {
      expect(registry.list('search')).toContain('usearch');
      const som = new SOM({ rows: 10, cols: 10, dims: 8, epochs: 2, rule: 'batch-map', sigma: 3, seed: 1, search: { name: 'usearch', options: { minUnits: 0 } } });
      try {
        await som.fit(blobs(300, 8, 4));
        expect(som.searchName).toBe('usearch');
        expect(Number.isFinite(await som.quantizationError(blobs(50, 8, 4, 9)))).toBe(true);
      } finally {
        som.dispose();
      }
    });

    it("by name with default options, a small map is refused with the reason (ERR_BACKEND_UNSUPPORTED)", async () => {
      const som = new SOM({ rows: 10, cols: 10, dims: 8, epochs: 1, rule: 'batch-map', search: 'usearch' });
      try {
        await expect(som.fit(blobs(100, 8, 4))).rejects.toThrow(/'usearch' cannot run here: the map has 100 units, fewer than minUnits = 2048/);
      } finally {
        som.dispose();
      }
    });

    it("'auto' never takes the approximate usearch (it changes what the model computes); by name it runs from minUnits units, with the refusal reasons", () => {
      const ctx = (units: number, distance = euclidean()) => ({ backend: 'wasm', distance, units, dims: 64 });
      const large = resolveSearch('auto', ctx(10_000));
      expect(large.strategy.name).toBe('brute-force');
      expect(large.refused.find((r) => r.name === 'usearch')?.reason).toMatch(/approximate strategy: search 'auto' picks only exact ones/);
      expect(resolveSearch('usearch', ctx(10_000)).strategy.name).toBe('usearch');
      expect(() => resolveSearch('usearch', ctx(1024))).toThrow(/fewer than minUnits/);
      expect(() => resolveSearch('usearch', ctx(10_000, manhattan()))).toThrow(/cannot run here/);
    });
  });
});
