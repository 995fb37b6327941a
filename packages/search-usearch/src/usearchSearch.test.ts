import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSomError, type SearchContext } from '@somkit/plugin-api';
import { cosine, euclidean, manhattan, sqeuclidean } from '@somkit/kernels';
import { bruteForce } from '@somkit/search';
import { describeBackends, expectNoLeaks, rng, runSearchConformance } from '@somkit/testing';
import { loadUsearch } from './loadUsearch.js';
import { DEFAULT_MIN_UNITS, usearchSearch } from './index.js';

const unavailable = loadUsearch();
const skipReason = typeof unavailable === 'string' ? unavailable : undefined;


/** A codebook [u, d] of uniform points in [0, 10)^d and n samples, each within ±noise/2 per feature of a unit. */
function nearUnits(u: number, d: number, n: number, noise: number, seed = 1): { w: Float32Array; x: Float32Array } {
  const next = rng(seed);
  const w = Float32Array.from({ length: u * d }, () => 10 * next());
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const unit = Math.floor(next() * u);
    for (let j = 0; j < d; j++) x[i * d + j] = w[unit * d + j]! + noise * (next() - 0.5);
  }
  return { w, x };
}

const ctxOf = (distance = euclidean(), units = 64, dims = 4, backend = tf.getBackend()): SearchContext => ({ backend, distance, units, dims });

/** Fraction of rows whose approximate BMU is the exact one (equal distances count as a hit). */
async function recallAt1(x: tf.Tensor2D, w: tf.Tensor2D, ctx: SearchContext, backend = usearchSearch({ minUnits: 0, rebuildRatio: 0 })): Promise<number> {
  const a = await backend.searchAsync!(x, w, 1, ctx);
  expect(backend.stats().exactSamples).toBe(0);
  const e = bruteForce().search(x, w, 1, ctx);
  const [ai, ad, ei, ed] = await Promise.all([a.indices.data(), a.distances.data(), e.indices.data(), e.distances.data()]);
  tf.dispose([a.indices, a.distances, e.indices, e.distances]);
  let hits = 0;
  for (let i = 0; i < ai.length; i++) if (ai[i] === ei[i] || Math.abs(ad[i]! - ed[i]!) <= 1e-5 * Math.max(1, ed[i]!)) hits++;
  return hits / ai.length;
}

describe.skipIf(skipReason !== undefined)(`@somkit/search-usearch${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  describeBackends(['cpu', 'wasm'], () => {
    // The shared suite checks agreement with the brute force on small well-separated data
    // (24 units, 4 features, samples within ±0.1 of a unit), which an HNSW graph over so few
    // units does find; minUnits: 0 because the default refuses maps this small.
    runSearchConformance(usearchSearch({ minUnits: 0 }), { distance: euclidean() });
    runSearchConformance(usearchSearch({ minUnits: 0 }), { distance: sqeuclidean(), title: 'search conformance: usearch under sqeuclidean' });
    runSearchConformance(usearchSearch({ minUnits: 0 }), { distance: cosine(), title: 'search conformance: usearch under cosine' });
    runSearchConformance(usearchSearch({ minUnits: 0, threads: 2 }), { distance: euclidean(), title: 'search conformance: usearch, 2 threads' });

    let before = 0;
    beforeEach(() => (before = tf.memory().numTensors));
    afterEach(() => expect(tf.memory().numTensors).toBe(before));

    it('recall@1 ≥ 0.99 on well-separated data (2048 units, d = 16), k = 1 and 2, sync and async', async () => {
      const { w, x } = nearUnits(2048, 16, 3000, 0.5, 3);
      const wt = tf.tensor2d(w, [2048, 16]);
      const xt = tf.tensor2d(x, [3000, 16]);
      const ctx = ctxOf(euclidean(), 2048, 16);
      try {
        expect(await recallAt1(xt, wt, ctx)).toBeGreaterThanOrEqual(0.99);
        const b = usearchSearch({ minUnits: 0, rebuildRatio: 0 });
        const r = b.search(xt, wt, 2, ctx);
        const e = bruteForce().search(xt, wt, 2, ctx);
        expect(b.stats().indexedSamples).toBe(3000);
        const [ri, ei] = [await r.indices.data(), await e.indices.data()];
        let same = 0;
        for (let i = 0; i < ri.length; i++) if (ri[i] === ei[i]) same++;
        expect(same / ri.length).toBeGreaterThanOrEqual(0.98);
        tf.dispose([r.indices, r.distances, e.indices, e.distances]);
      } finally {
        tf.dispose([wt, xt]);
      }
    });

    it('recall@1 ≥ 0.95 under cosine (1024 units, d = 32)', async () => {
      const { w, x } = nearUnits(1024, 32, 2000, 0.5, 4);
      const [wt, xt] = [tf.tensor2d(w, [1024, 32]), tf.tensor2d(x, [2000, 32])];
      try {
        expect(await recallAt1(xt, wt, ctxOf(cosine(), 1024, 32))).toBeGreaterThanOrEqual(0.95);
      } finally {
        tf.dispose([wt, xt]);
      }
    });

    it('agrees exactly with the brute force on tiny well-separated maps (k = 1…4), with the same distances', async () => {
      for (const distance of [euclidean(), sqeuclidean(), cosine()]) {
        const { w, x } = nearUnits(64, 8, 200, 0.2, 5);
        const [wt, xt] = [tf.tensor2d(w, [64, 8]), tf.tensor2d(x, [200, 8])];
        const b = usearchSearch({ minUnits: 0 });
        const ctx = ctxOf(distance, 64, 8);
        for (const k of [1, 2, 3, 4]) {
          const r = await b.searchAsync!(xt, wt, k, ctx);
          const e = bruteForce().search(xt, wt, k, ctx);
          expect([...(await r.indices.data())]).toEqual([...(await e.indices.data())]);
          const [rd, ed] = [await r.distances.data(), await e.distances.data()];
          for (let i = 0; i < rd.length; i++) expect(Math.abs(rd[i]! - ed[i]!)).toBeLessThan(1e-3 * Math.max(1, ed[i]!));
          tf.dispose([r.indices, r.distances, e.indices, e.distances]);
        }
        expect(b.stats().builds).toBe(1);
        tf.dispose([wt, xt]);
      }
    });

    it('a single sample (usearch answers one query row differently) matches the brute force', async () => {
      const { w, x } = nearUnits(128, 8, 1, 0.2, 10);
      const [wt, xt] = [tf.tensor2d(w, [128, 8]), tf.tensor2d(x, [1, 8])];
      const ctx = ctxOf(euclidean(), 128, 8);
      try {
        const b = usearchSearch({ minUnits: 0, rebuildRatio: 0 });
        const r = b.search(xt, wt, 3, ctx);
        const e = bruteForce().search(xt, wt, 3, ctx);
        expect([...(await r.indices.data())]).toEqual([...(await e.indices.data())]);
        expect(b.stats().indexedSamples).toBe(1);
        tf.dispose([r.indices, r.distances, e.indices, e.distances]);
      } finally {
        tf.dispose([wt, xt]);
      }
    });

    it('re-indexes when the codebook tensor changes, not when it is the same; rebuild(w) indexes ahead', async () => {
      const { w, x } = nearUnits(256, 8, 512, 0.2, 6);
      const u = 256;
      // w2: the rows of w in reverse order, so every BMU index maps to u − 1 − BMU.
      const w2 = new Float32Array(w.length);
      for (let i = 0; i < u; i++) w2.set(w.subarray((u - 1 - i) * 8, (u - i) * 8), i * 8);
      const [wt, wt2, xt] = [tf.tensor2d(w, [u, 8]), tf.tensor2d(w2, [u, 8]), tf.tensor2d(x, [512, 8])];
      const b = usearchSearch({ minUnits: 0 });
      const ctx = ctxOf(euclidean(), u, 8);
      const bmus = async (ww: tf.Tensor2D): Promise<number[]> => {
        const r = await b.searchAsync!(xt, ww, 1, ctx);
        const out = [...(await r.indices.data())];
        tf.dispose([r.indices, r.distances]);
        return out;
      };
      try {
        const first = await bmus(wt);
        expect(b.stats().builds).toBe(1);
        await bmus(wt);
        expect(b.stats().builds).toBe(1);
        const second = await bmus(wt2);
        expect(b.stats().builds).toBe(2);
        expect(second).toEqual(first.map((i) => u - 1 - i));
        await b.rebuild!(wt);
        expect(b.stats().builds).toBe(3);
        await bmus(wt);
        expect(b.stats().builds).toBe(3);
        expect(b.stats().indexedSamples).toBe(4 * 512);
      } finally {
        tf.dispose([wt, wt2, xt]);
      }
    });

    it('a changed codebook with a search too small to pay for a build (rebuildRatio) is answered exactly, without building', async () => {
      const { w, x } = nearUnits(512, 8, 100, 0.2, 7);
      const [wt, xt] = [tf.tensor2d(w, [512, 8]), tf.tensor2d(x, [100, 8])];
      const ctx = ctxOf(euclidean(), 512, 8);
      try {
        const b = usearchSearch({ minUnits: 0 }); // rebuildRatio 1: needs ≥ 512 samples
        const r = b.search(xt, wt, 2, ctx);
        const e = bruteForce().search(xt, wt, 2, ctx);
        expect([...(await r.indices.data())]).toEqual([...(await e.indices.data())]);
        tf.dispose([r.indices, r.distances, e.indices, e.distances]);
        expect(b.stats()).toMatchObject({ builds: 0, exactSamples: 100, indexedSamples: 0 });
        // Once indexed (explicitly here), small searches use the index.
        await b.rebuild!(wt);
        const r2 = await b.searchAsync!(xt, wt, 1, ctx);
        tf.dispose([r2.indices, r2.distances]);
        expect(b.stats()).toMatchObject({ builds: 1, exactSamples: 100, indexedSamples: 100 });
        // rebuildRatio: 0 always indexes.
        const always = usearchSearch({ minUnits: 0, rebuildRatio: 0 });
        const r3 = always.search(xt, wt, 1, ctx);
        tf.dispose([r3.indices, r3.distances]);
        expect(always.stats()).toMatchObject({ builds: 1, exactSamples: 0, indexedSamples: 100 });
      } finally {
        tf.dispose([wt, xt]);
      }
    });

    it('is deterministic with one thread: two backends give identical results where recall < 1', async () => {
      // Tight expansion on an unstructured codebook, so the search misses some BMUs.
      const { w, x } = nearUnits(4096, 32, 2000, 8, 8);
      const [wt, xt] = [tf.tensor2d(w, [4096, 32]), tf.tensor2d(x, [2000, 32])];
      const ctx = ctxOf(euclidean(), 4096, 32);
      try {
        const runs: number[][] = [];
        for (let r = 0; r < 2; r++) {
          const b = usearchSearch({ expansionSearch: 4, connectivity: 4, expansionAdd: 16, rebuildRatio: 0 });
          const out = await b.searchAsync!(xt, wt, 2, ctx);
          runs.push([...(await out.indices.data())]);
          tf.dispose([out.indices, out.distances]);
          expect(b.stats()).toMatchObject({ builds: 1, indexedSamples: 2000, exactSamples: 0 });
        }
        expect(runs[1]).toEqual(runs[0]);
        const recall = await recallAt1(xt, wt, ctx, usearchSearch({ expansionSearch: 4, connectivity: 4, expansionAdd: 16, rebuildRatio: 0 }));
        expect(recall).toBeLessThan(1);
      } finally {
        tf.dispose([wt, xt]);
      }
    });

    it('leaves no tensors behind across builds, exact fallbacks and empty inputs', async () => {
      const { w, x } = nearUnits(300, 8, 400, 0.2, 9);
      const [wt, xt] = [tf.tensor2d(w, [300, 8]), tf.tensor2d(x, [400, 8])];
      const ctx = ctxOf(euclidean(), 300, 8);
      const b = usearchSearch({ minUnits: 0 });
      try {
        await expectNoLeaks(async () => {
          const small = tf.slice(xt, [0, 0], [10, 8]);
          for (const r of [b.search(small, wt, 2, ctx), await b.searchAsync!(xt, wt, 2, ctx), b.search(small, wt, 1, ctx)]) tf.dispose([r.indices, r.distances]);
          small.dispose();
          const none = tf.zeros([0, 8]) as tf.Tensor2D;
          const r = b.search(none, wt, 2, ctx);
          expect(r.indices.shape).toEqual([0, 2]);
          tf.dispose([r.indices, r.distances, none]);
        }, 'usearch search');
        b.dispose!();
      } finally {
        tf.dispose([wt, xt]);
      }
    });

    it('rejects bad k and mismatched shapes with SomError', () => {
      const [wt, xt, xok] = [tf.zeros([8, 4]) as tf.Tensor2D, tf.zeros([3, 5]) as tf.Tensor2D, tf.zeros([3, 4]) as tf.Tensor2D];
      const b = usearchSearch({ minUnits: 0 });
      try {
        expect(() => b.search(xok, wt, 9, ctxOf(euclidean(), 8, 4))).toThrow(/expected k to be an integer in \[1, 8\]/);
        expect(() => b.search(xt, wt, 1, ctxOf(euclidean(), 8, 4))).toThrow(/expected samples of shape \[n, 4\]/);
      } finally {
        tf.dispose([wt, xt, xok]);
      }
    });
  });

  describe('supports(ctx)', () => {
    it('accepts euclidean, sqeuclidean and cosine on cpu/wasm from minUnits units', () => {
      const b = usearchSearch();
      for (const distance of [euclidean(), sqeuclidean(), cosine()]) {
        for (const backend of ['cpu', 'wasm']) expect(b.supports(ctxOf(distance, DEFAULT_MIN_UNITS, 64, backend))).toBe(true);
      }
    });

    it('refuses with a reason: other distances, off-CPU backends, maps below minUnits', () => {
      const b = usearchSearch();
      expect(b.supports(ctxOf(manhattan(), 10_000, 64, 'wasm'))).toMatch(/euclidean, sqeuclidean and cosine distances only, not 'manhattan'/);
      expect(b.supports(ctxOf(euclidean(), 10_000, 64, 'webgpu'))).toMatch(/cpu or wasm backends.*'webgpu'/);
      expect(b.supports(ctxOf(euclidean(), 1024, 64, 'wasm'))).toMatch(/1024 units, fewer than minUnits = 2048/);
      expect(usearchSearch({ minUnits: 100 }).supports(ctxOf(euclidean(), 100, 64, 'wasm'))).toBe(true);
      expect(usearchSearch({ minUnits: 0 }).supports(ctxOf(euclidean(), 1, 1, 'cpu'))).toBe(true);
    });
  });

  describe('options', () => {
    it('round-trip through JSON on the plugin object', () => {
      const b = usearchSearch({ connectivity: 8, expansionSearch: 32, threads: 2, minUnits: 1000, rebuildRatio: 0.5 });
      expect(JSON.parse(JSON.stringify(b.options))).toEqual({ connectivity: 8, expansionSearch: 32, threads: 2, minUnits: 1000, rebuildRatio: 0.5 });
      expect(b.name).toBe('usearch');
      expect(b.priority).toBe(50);
      // Approximate: core calls it for every search and hands the results to the engine.
      expect(b.exact).toBe(false);
      expect(Object.keys(b).filter((key) => ['product', 'minibatchStep', 'minibatchSteps', 'neuronSums'].includes(key))).toEqual([]);
    });

    it.each([
      [{ connectivity: 1 }, /expected connectivity to be an integer ≥ 2 .*received 1\. Fix the option or leave it out/],
      [{ expansionAdd: 0 }, /expected expansionAdd to be an integer ≥ 1 .*received 0/],
      [{ expansionSearch: 2.5 }, /expected expansionSearch to be an integer ≥ 1 .*received 2\.5/],
      [{ threads: 0 }, /expected threads to be an integer ≥ 1 .*received 0/],
      [{ minUnits: -1 }, /expected minUnits to be an integer ≥ 0 .*received -1/],
      [{ rebuildRatio: -0.5 }, /expected rebuildRatio to be a finite number ≥ 0 .*received -0\.5/],
      [{ rebuildRatio: '1' }, /expected rebuildRatio .*received "1"/],
      [{ expansion_search: 64 }, /unknown option 'expansion_search'; expected one of connectivity, expansionAdd, expansionSearch, threads, minUnits, rebuildRatio/],
      [[1, 2], /expected an options object or nothing, received \[1,2\]/],
    ])('rejects %j with ERR_INVALID_CONFIG', (options, message) => {
      let caught: unknown;
      try {
        usearchSearch(options as never);
      } catch (e) {
        caught = e;
      }
      expect(isSomError(caught, 'ERR_INVALID_CONFIG')).toBe(true);
      expect((caught as Error).message).toMatch(message);
    });
  });
});
