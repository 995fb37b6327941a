import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { cosine, euclidean, manhattan } from '@somkit/kernels';
import { defineSearch, isSomError, registry, type DistancePlugin, type SearchContext } from '@somkit/plugin-api';
import { bruteForce } from './bruteForce.js';
import { resolveSearch } from './resolveSearch.js';

function rand(n: number, d: number, seed: number): number[][] {
  let s = seed;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2;
  return Array.from({ length: n }, () => Array.from({ length: d }, next));
}

function ctxFor(distance: DistancePlugin, u: number, d: number): SearchContext {
  return { backend: tf.getBackend(), distance, units: u, dims: d };
}

for (const backend of ['cpu', 'wasm']) {
  describe(`bruteForce on ${backend}`, () => {
    let before = 0;
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });
    beforeEach(() => (before = tf.memory().numTensors));
    afterEach(() => expect(tf.memory().numTensors).toBe(before));

    for (const distance of [euclidean(), cosine(), manhattan()]) {
      it(`${distance.name}: chunked results equal the unchunked ones and a full sort`, async () => {
        const x = tf.tensor2d(rand(257, 5, 1));
        const w = tf.tensor2d(rand(40, 5, 2));
        const ctx = ctxFor(distance, 40, 5);
        const full = bruteForce().search(x, w, 3, ctx);
        const chunked = bruteForce({ maxBlockElements: 100 }).search(x, w, 3, ctx);
        expect(full.indices.shape).toEqual([257, 3]);
        expect(full.indices.dtype).toBe('int32');
        expect([...(await chunked.indices.data())]).toEqual([...(await full.indices.data())]);
        const dist = distance.pairwise(x, w);
        const all = (await dist.array()) as number[][];
        const got = (await full.distances.array()) as number[][];
        const idx = (await full.indices.array()) as number[][];
        all.forEach((row, i) => {
          const sorted = [...row].sort((a, b) => a - b);
          for (let j = 0; j < 3; j++) {
            expect(got[i]![j]).toBeCloseTo(sorted[j]!, 4);
            expect(row[idx[i]![j]!]).toBeCloseTo(sorted[j]!, 4);
          }
        });
        const one = bruteForce({ maxBlockElements: 100 }).search(x, w, 1, ctx);
        expect([...(await one.indices.data())]).toEqual(idx.map((r) => r[0]));
        tf.dispose([x, w, dist, full.indices, full.distances, chunked.indices, chunked.distances, one.indices, one.distances]);
      });
    }
  });
}

describe('resolveSearch', () => {
  const ctx = (): SearchContext => ({ backend: 'cpu', distance: euclidean(), units: 10, dims: 2 });
  it('auto falls back to brute force and picks the highest-priority exact strategy that supports the context', () => {
    expect(resolveSearch('auto', ctx()).strategy.name).toBe('brute-force');
    const fancy = defineSearch('test/fancy', () => ({ priority: 10, exact: true, supports: () => 'needs a GPU', search: bruteForce().search }));
    const good = defineSearch('test/good', () => ({ priority: 5, exact: true, supports: () => true, search: bruteForce().search }));
    const approx = defineSearch('test/approx', () => ({ priority: 20, supports: () => true, search: bruteForce().search }));
    registry.register('search', 'test/fancy', fancy);
    registry.register('search', 'test/good', good);
    registry.register('search', 'test/approx', approx);
    const choice = resolveSearch('auto', ctx());
    expect(choice.strategy.name).toBe('test/good');
    // An approximate strategy is never picked by auto, whatever its priority.
    expect(choice.refused).toEqual([
      { name: 'test/approx', reason: "an approximate strategy: search 'auto' picks only exact ones (ask for 'test/approx' by name to use it)" },
      { name: 'test/fancy', reason: 'needs a GPU' },
    ]);
    expect(resolveSearch('test/approx', ctx()).strategy.name).toBe('test/approx');
    registry.unregister('search', 'test/approx');
    try {
      resolveSearch('test/fancy', ctx());
      expect.unreachable();
    } catch (e) {
      expect(isSomError(e, 'ERR_BACKEND_UNSUPPORTED')).toBe(true);
      expect((e as Error).message).toMatch(/needs a GPU/);
    }
    registry.unregister('search', 'test/fancy');
    registry.unregister('search', 'test/good');
  });
  it('brute-force resolves by name without registration; unknown names list choices', () => {
    const choice = resolveSearch('brute-force', ctx());
    expect(choice.strategy.name).toBe('brute-force');
    expect(choice.backend).toBe(choice.strategy);
    expect(choice.strategy.exact).toBe(true);
    expect(() => resolveSearch('faiss', ctx())).toThrow(/Unknown search 'faiss'/);
  });
});
