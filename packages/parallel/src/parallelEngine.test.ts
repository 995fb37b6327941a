import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { cosine, euclidean, sqeuclidean } from '@somkit/kernels';
import { isSomError, registry, type EngineContext } from '@somkit/plugin-api';
import { SOM } from '@somkit/core';
import { describeBackends, expectClose, gridTable, referenceKernels, rng, runEngineConformance } from '@somkit/testing';
import { parallelEngine } from './parallelEngine.js';
import type { ParallelSession } from './parallelSession.js';
import './register.js';

describeBackends(['cpu', 'wasm'], () => {
  runEngineConformance(parallelEngine({ threads: 2, minWork: 0 }), { distance: euclidean() });
});
describeBackends(['cpu'], () => {
  runEngineConformance(parallelEngine({ threads: 3, minWork: 0 }), { distance: sqeuclidean(), title: 'engine conformance: parallel, 3 threads, sqeuclidean' });
  runEngineConformance(parallelEngine({ threads: 2, minWork: 0, workerBackend: 'cpu' }), { distance: euclidean(), title: "engine conformance: parallel, workerBackend 'cpu'" });
});

/** n samples around 4 centres in [−10, 10]^d. */
function blobs(n: number, d: number, seed: number): number[][] {
  const next = rng(seed);
  const c = Array.from({ length: 4 }, () => Array.from({ length: d }, () => next() * 20 - 10));
  return Array.from({ length: n }, (_, i) => c[i % 4]!.map((v) => v + (next() - 0.5)));
}

const sameBits = (a: Float32Array | Int32Array, b: Float32Array | Int32Array): boolean =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('parallel sessions against one thread and the plain-JS reference', () => {
  const [rows, cols, d, n] = [10, 12, 16, 1001];
  const u = rows * cols;
  const ctx: EngineContext = { backend: 'wasm', distance: euclidean(), units: u, dims: d };
  const x = Float32Array.from(blobs(n, d, 1).flat());
  const w = Float32Array.from(blobs(u, d, 2).flat());
  const kernel = gridTable({ rows, cols, topology: 'hexagonal', pbc: true, sigma: 2 });
  const m = Float32Array.from(blobs(u, d + 1, 3).flat());
  const sessions: ParallelSession[] = [];
  const open = (threads: number): ParallelSession => {
    const s = parallelEngine({ threads, minWork: 0 }).open(ctx);
    sessions.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of sessions) await s.close();
  });

  it('bmu and neighborhoodProduct give the same bits for 1, 2 and 3 threads; neuronSums the same BMUs and sums within float rounding, the same bits for the same thread count', async () => {
    const one = open(1);
    const job = { x, weights: w, samples: n, units: u, dims: d, k: 2 };
    const product = { kernel, m, units: u, columns: d + 1 };
    const [b1, s1, p1] = [await one.kernels.bmu(job), await one.kernels.neuronSums(job), await one.kernels.neighborhoodProduct(product)];
    for (const threads of [2, 3]) {
      const s = open(threads);
      const b = await s.kernels.bmu(job);
      expect(sameBits(b.indices, b1.indices) && sameBits(b.distances, b1.distances)).toBe(true);
      expect(sameBits(await s.kernels.neighborhoodProduct(product), p1)).toBe(true);
      const sums = await s.kernels.neuronSums(job);
      expect(sameBits(sums.indices, s1.indices)).toBe(true);
      expect(sameBits(sums.indices, b1.indices)).toBe(true);
      expectClose(sums.sums, s1.sums, 1e-6, 'rel', `neuronSums, ${threads} threads vs 1`);
      const again = await s.kernels.neuronSums(job);
      expect(sameBits(again.sums, sums.sums)).toBe(true);
    }
    // And what they compute: the float64 reference kernels.
    const ref = referenceKernels();
    const r = await ref.bmu(job);
    expect([...b1.indices]).toEqual([...r.indices]);
    expectClose(b1.distances, r.distances, 1e-3);
    const rs = await ref.neuronSums(job);
    for (let i = 0; i < rs.sums.length; i++) expect(Math.abs(s1.sums[i]! - rs.sums[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(rs.sums[i]!)));
    const rp = await ref.neighborhoodProduct(product);
    for (let i = 0; i < rp.length; i++) expect(Math.abs(p1[i]! - rp[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(rp[i]!)));
  });

  it('neuronSums with given BMUs sums by them, for any thread count', async () => {
    const given = { indices: Int32Array.from({ length: n }, (_, i) => (i * 7) % u), distances: Float32Array.from({ length: n }, (_, i) => i) };
    const job = { x, weights: w, samples: n, units: u, dims: d, k: 1, given };
    const want = await referenceKernels().neuronSums(job);
    for (const threads of [1, 3]) {
      const got = await open(threads).kernels.neuronSums(job);
      expect([...got.indices]).toEqual([...given.indices]);
      expect([...got.distances]).toEqual([...given.distances]);
      expectClose(got.sums, want.sums, 1e-5, 'rel');
    }
  });

  it('more threads than rows, and no rows at all', async () => {
    const s = open(3);
    const two = await s.kernels.bmu({ x: x.subarray(0, 2 * d), weights: w, samples: 2, units: u, dims: d, k: 1 });
    expect(two.indices.length).toBe(2);
    const none = await s.kernels.neuronSums({ x: new Float32Array(0), weights: w, samples: 0, units: u, dims: d, k: 1 });
    expect([none.indices.length, none.sums.length, none.sums.every((v) => v === 0)]).toEqual([0, u * (d + 1), true]);
  });
});

describe('parallelEngine', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });

  it('supports() says why it refuses', () => {
    const engine = parallelEngine({ threads: 2, minWork: 0 });
    expect(engine.supports({ backend: 'wasm', distance: cosine(), units: 100, dims: 100 })).toMatch(/euclidean/);
    expect(engine.supports({ backend: 'webgpu', distance: euclidean(), units: 100, dims: 100 })).toMatch(/stall/);
    expect(parallelEngine({ threads: 2 }).supports({ backend: 'wasm', distance: euclidean(), units: 4, dims: 2 })).toMatch(/too small \(units·dims = 8 < minWork = 16384\)/);
    expect(parallelEngine({ threads: 1 }).supports({ backend: 'wasm', distance: euclidean(), units: 100, dims: 200 })).toMatch(/only one core/);
    expect(engine.supports({ backend: 'wasm', distance: euclidean(), units: 100, dims: 100 })).toBe(true);
    expect(engine.supports({ backend: 'cpu', distance: sqeuclidean(), units: 100, dims: 100 })).toBe(true);
  });

  it('is an engine (kind, name, priority −10, JSON options) registered as parallel', () => {
    const engine = parallelEngine({ threads: 2 });
    expect([engine.kind, engine.name, engine.priority, engine.apiVersion]).toEqual(['engine', 'parallel', -10, 2]);
    expect(JSON.parse(JSON.stringify(engine.options))).toEqual({ threads: 2 });
    expect(registry.list('engine')).toContain('parallel');
    expect(registry.resolve('engine', { name: 'parallel', options: { threads: 3 } }).options).toEqual({ threads: 3 });
  });

  it.each([
    [{ threads: 0 }, /expected threads to be an integer ≥ 1, received 0/],
    [{ threads: 1.5 }, /expected threads to be an integer ≥ 1, received 1\.5/],
    [{ workerBackend: 'webgl' }, /expected workerBackend 'wasm' or 'cpu', received "webgl"/],
    [{ minWork: -1 }, /expected minWork to be a finite number ≥ 0/],
    [{ thread: 2 }, /unknown option 'thread'; expected one of threads, workerBackend, minWork/],
    [[2], /expected an options object or nothing, received \[2\]/],
  ])('rejects options %j with ERR_INVALID_CONFIG', (options, message) => {
    let caught: unknown;
    try {
      parallelEngine(options as never);
    } catch (e) {
      caught = e;
    }
    expect(isSomError(caught, 'ERR_INVALID_CONFIG')).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });

  it('open() refuses other distances; a closed session refuses calls; close() is idempotent; bad jobs throw SomError', async () => {
    const engine = parallelEngine({ threads: 2, minWork: 0 });
    expect(() => engine.open({ backend: 'wasm', distance: cosine(), units: 4, dims: 2 })).toThrow(/expected the euclidean or sqeuclidean distance, received 'cosine'/);
    const s = engine.open({ backend: 'wasm', distance: euclidean(), units: 4, dims: 2 });
    const weights = Float32Array.from([0, 0, 1, 0, 0, 1, 1, 1]);
    const bad = await s.kernels.bmu({ x: new Float32Array(3), weights, samples: 2, units: 4, dims: 2, k: 1 }).then(() => undefined, (e: unknown) => e);
    expect(isSomError(bad, 'ERR_SHAPE_MISMATCH')).toBe(true);
    expect((bad as Error).message).toMatch(/@somkit\/parallel bmu: expected x \[2, 2\] of 4 values, received 3/);
    const r = await s.kernels.bmu({ x: Float32Array.from([0.9, 0.1]), weights, samples: 1, units: 4, dims: 2, k: 2 });
    expect([...r.indices]).toEqual([1, 0]);
    await s.close();
    await s.close();
    const after = await s.kernels.bmu({ x: Float32Array.from([0.9, 0.1]), weights, samples: 1, units: 4, dims: 2, k: 1 }).then(() => undefined, (e: unknown) => e);
    expect(isSomError(after, 'ERR_INVALID_INPUT')).toBe(true);
    expect((after as Error).message).toMatch(/this session is closed; open a new one/);
  });

  for (const rule of ['minibatch', 'batch-map'] as const) {
    it(`training with the engine matches training on the tfjs reference (${rule})`, async () => {
      const data = blobs(240, 5, 3);
      const init = blobs(36, 5, 4);
      const opts = { rows: 6, cols: 6, dims: 5, epochs: 3, batchSize: 64, sigma: 2, rule, topology: 'hexagonal' as const };
      const single = new SOM({ ...opts, engine: 'tfjs' });
      const multi = new SOM({ ...opts, engine: parallelEngine({ threads: 2, minWork: 0 }) });
      try {
        await single.setWeights(init);
        await multi.setWeights(init);
        await single.fit(data, { shuffle: false });
        await multi.fit(data, { shuffle: false });
        expect(multi.engineChoice?.name).toBe('parallel');
        const a = single.getWeights();
        const b = multi.getWeights();
        for (let i = 0; i < a.length; i++) expect(Math.abs(b[i]! - a[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(a[i]!)));
        expect([...(await multi.identifyBmus(data))]).toEqual([...(await single.identifyBmus(data))]);
        const qa = await single.quantizationError(data);
        const qb = await multi.quantizationError(data);
        expect(Math.abs(qa - qb) / qa).toBeLessThan(1e-4);
      } finally {
        single.dispose();
        multi.dispose();
      }
    });
  }

  for (const rule of ['minibatch', 'batch-map'] as const) {
    it(`same seed, same result: two ${rule} fits on the engine (2 threads) give identical codebooks bit for bit`, async () => {
      const data = blobs(400, 5, 3);
      const opts = { rows: 6, cols: 6, dims: 5, epochs: 3, batchSize: 64, sigma: 2, rule, seed: 5 };
      const a = new SOM({ ...opts, engine: parallelEngine({ threads: 2, minWork: 0 }) });
      const b = new SOM({ ...opts, engine: parallelEngine({ threads: 2, minWork: 0 }) });
      try {
        await a.fit(data);
        await b.fit(data);
        expect(a.engineChoice?.name).toBe('parallel');
        expect(new Uint32Array(b.getWeights().buffer)).toEqual(new Uint32Array(a.getWeights().buffer));
      } finally {
        a.dispose();
        b.dispose();
      }
    });
  }
});
