import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cosine, euclidean, manhattan, sqeuclidean } from '@somkit/kernels';
import { isSomError, registry, type SearchContext } from '@somkit/plugin-api';
import { describeBackends, expectClose, runSearchConformance } from '@somkit/testing';
import { onnxEngine, releaseSessions } from './index.js';

function rand(n: number, d: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n * d }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2);
}

const ctxFor = (distance = euclidean(), units = 10, dims = 3, backend = tf.getBackend()): SearchContext => ({ backend, distance, units, dims });

describeBackends(['cpu', 'wasm'], (backend) => {
  // The shared suite: sync search (tfjs fallback), searchAsync and product (ORT).
  runSearchConformance(onnxEngine(), { distance: euclidean() });
  runSearchConformance(onnxEngine(), { distance: sqeuclidean(), title: 'search conformance: onnxruntime under sqeuclidean' });
  runSearchConformance(onnxEngine({ maxBlockElements: 64 }), { distance: euclidean(), title: 'search conformance: onnxruntime, chunks of 2 samples' });

  describe(`onnxruntime engine on ${backend}`, () => {
    let before = 0;
    beforeEach(() => (before = tf.memory().numTensors));
    afterEach(() => expect(tf.memory().numTensors).toBe(before));

    it('searchAsync equals the tfjs search (indices exactly, distances within 1e-4) for k = 1, 2, 5, chunked or not', async () => {
      const n = 300;
      const d = 7;
      const u = 50;
      const x = tf.tensor2d(rand(n, d, 1), [n, d]);
      const w = tf.tensor2d(rand(u, d, 2), [u, d]);
      for (const distance of [euclidean(), sqeuclidean()]) {
        const ctx = ctxFor(distance, u, d);
        for (const k of [1, 2, 5]) {
          for (const engine of [onnxEngine(), onnxEngine({ maxBlockElements: 1000 })]) {
            const ref = engine.search(x, w, k, ctx);
            const got = await engine.searchAsync!(x, w, k, ctx);
            expect(got.indices.shape).toEqual([n, k]);
            expect(got.indices.dtype).toBe('int32');
            expect([...(await got.indices.data())]).toEqual([...(await ref.indices.data())]);
            expectClose(await got.distances.data(), await ref.distances.data(), 1e-4);
            tf.dispose([ref.indices, ref.distances, got.indices, got.distances]);
          }
        }
      }
      tf.dispose([x, w]);
    });

    it('product matches tf.matMul on the minibatch and batch-map shapes', async () => {
      const engine = onnxEngine();
      for (const [m, k, c] of [[64, 32, 5], [49, 49, 9], [1, 1, 1]] as const) {
        const a = tf.tensor2d(rand(m, k, 3), [m, k]);
        const b = tf.tensor2d(rand(k, c, 4), [k, c]);
        const ref = tf.matMul(a, b);
        const got = await engine.product!(a, b);
        expect(got.shape).toEqual([m, c]);
        expectClose(await got.data(), await ref.data(), 1e-4);
        tf.dispose([a, b, ref, got]);
      }
    });
  });
});

describe('onnxEngine: plugin, supports() and failures', () => {
  it('is a frozen search plugin named onnxruntime with priority 100 and JSON options', () => {
    const e = onnxEngine({ intraOpNumThreads: 1, spinning: true });
    expect(e).toMatchObject({ kind: 'search', name: 'onnxruntime', apiVersion: 1, priority: 100, options: { intraOpNumThreads: 1, spinning: true } });
    expect(Object.isFrozen(e)).toBe(true);
    expect(onnxEngine().options).toBeUndefined();
  });

  it('supports euclidean and sqeuclidean on cpu and wasm, and says why not otherwise', () => {
    const e = onnxEngine();
    expect(e.supports(ctxFor(euclidean(), 10, 3, 'cpu'))).toBe(true);
    expect(e.supports(ctxFor(sqeuclidean(), 10, 3, 'wasm'))).toBe(true);
    expect(e.supports(ctxFor(cosine(), 10, 3, 'cpu'))).toMatch(/only the euclidean and sqeuclidean distances, not 'cosine'/);
    expect(e.supports(ctxFor(manhattan(), 10, 3, 'cpu'))).toMatch(/not 'manhattan'/);
    expect(e.supports(ctxFor(euclidean(), 10, 3, 'webgpu'))).toMatch(/cpu or wasm backends .* on 'webgpu'/);
  });

  it("executionProviders: ['cuda'] without the CUDA libraries is refused with a reason, and searches throw ERR_BACKEND_UNSUPPORTED", async () => {
    const e = onnxEngine({ executionProviders: ['cuda'] });
    const reason = e.supports(ctxFor());
    if (reason === true) {
      // A machine with working CUDA provider libraries: nothing to refuse.
      expect(await e.ready()).toBe(true);
      return;
    }
    expect(reason).toMatch(/CUDA|cuda/);
    expect(await e.ready()).toBe(reason);
    const x = tf.tensor2d([[0, 0, 0]]);
    const w = tf.tensor2d([[1, 1, 1], [2, 2, 2]]);
    const b = tf.tensor2d([[1], [1], [1]]);
    const before = tf.memory().numTensors;
    await expect(e.searchAsync!(x, w, 1, ctxFor(euclidean(), 2, 3))).rejects.toSatisfy(
      (err: unknown) => isSomError(err, 'ERR_BACKEND_UNSUPPORTED') && /onnxruntime' cannot run here: .*CUDA/.test((err as Error).message),
    );
    await expect(e.product!(w, b)).rejects.toThrow(/cannot run here/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, b]);
  });

  it('searchAsync called directly with another distance stays exact (tfjs fallback)', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor2d(rand(20, 3, 5), [20, 3]);
    const w = tf.tensor2d(rand(6, 3, 6), [6, 3]);
    const ctx = ctxFor(manhattan(), 6, 3);
    const e = onnxEngine();
    const ref = e.search(x, w, 2, ctx);
    const got = await e.searchAsync!(x, w, 2, ctx);
    expect([...(await got.indices.data())]).toEqual([...(await ref.indices.data())]);
    expectClose(await got.distances.data(), await ref.distances.data(), 1e-6);
    tf.dispose([x, w, ref.indices, ref.distances, got.indices, got.distances]);
  });

  it('minibatchSteps: 12 steps in one call give bit for bit the codebook, units and distances of 12 one-step calls', async () => {
    const [n, u, d, b, steps] = [400, 36, 5, 32, 12];
    const x = rand(n, d, 21);
    const weights = rand(u, d, 22);
    const kernel = new Float32Array(u * u);
    for (let i = 0; i < u; i++) for (let j = 0; j < u; j++) kernel[i * u + j] = (0.5 / b) * Math.exp(-(((i % 6) - (j % 6)) ** 2) - (Math.floor(i / 6) - Math.floor(j / 6)) ** 2);
    const rows = Int32Array.from({ length: steps * b }, (_, i) => (i * 37) % n);
    const e = onnxEngine();
    const ctx = ctxFor(euclidean(), u, d);
    const all = await e.minibatchSteps!({ x, rows, weights, kernel, batch: b, steps, samples: n, units: u, dims: d, k: 2 }, ctx);
    let w = weights;
    for (let s = 0; s < steps; s++) {
      const one = await e.minibatchSteps!({ x, rows: rows.subarray(s * b, (s + 1) * b), weights: w, kernel, batch: b, steps: 1, samples: n, units: u, dims: d, k: 2 }, ctx);
      expect([...one.indices]).toEqual([...all.indices.subarray(s * b * 2, (s + 1) * b * 2)]);
      expect([...one.distances]).toEqual([...all.distances.subarray(s * b * 2, (s + 1) * b * 2)]);
      w = one.weights;
    }
    expect([...all.weights]).toEqual([...w]);
  });

  it('minibatchSteps refuses a row index outside the samples and a rows array of the wrong length', async () => {
    const e = onnxEngine();
    const job = { x: rand(10, 2, 1), rows: Int32Array.of(0, 3, 10, 1), weights: rand(4, 2, 2), kernel: new Float32Array(16).fill(0.1), batch: 2, steps: 2, samples: 10, units: 4, dims: 2, k: 1 };
    await expect(e.minibatchSteps!(job, ctxFor(euclidean(), 4, 2))).rejects.toThrow(/rows\[2\] is 10, expected a row index in \[0, 10\)/);
    await expect(e.minibatchSteps!({ ...job, steps: 3 }, ctxFor(euclidean(), 4, 2))).rejects.toThrow(expect.objectContaining({ code: 'ERR_SHAPE_MISMATCH' }));
  });

  it('an unknown execution provider is refused with the providers this build has', () => {
    expect(onnxEngine({ executionProviders: ['nope'] }).supports(ctxFor())).toMatch(/execution provider 'nope' is not in this onnxruntime-node build \(it has: cpu/);
  });

  it('rejects bad options with ERR_INVALID_CONFIG', () => {
    for (const bad of [{ executionProviders: [] }, { executionProviders: 'cpu' }, { intraOpNumThreads: 0 }, { spinning: 'yes' }, { maxBlockElements: 1.5 }]) {
      expect(() => onnxEngine(bad as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_CONFIG' }));
    }
  });

  it('ready() creates the sessions; releaseSessions() frees them and the next search makes new ones', async () => {
    await tf.setBackend('cpu');
    const e = onnxEngine();
    expect(await e.ready()).toBe(true);
    await releaseSessions();
    const x = tf.tensor2d([[0, 0], [3, 3]]);
    const w = tf.tensor2d([[3, 3.5], [0, 0.5], [9, 9]]);
    const r = await e.searchAsync!(x, w, 2, ctxFor(euclidean(), 3, 2));
    expect([...(await r.indices.data())]).toEqual([1, 0, 0, 1]);
    expectClose(await r.distances.data(), [0.5, Math.hypot(3, 3.5), 0.5, Math.hypot(3, 2.5)], 1e-5);
    tf.dispose([x, w, r.indices, r.distances]);
  });
});

describe('@somkit/engine-onnxruntime/register', () => {
  it("registers 'onnxruntime', so search: 'auto' picks it for euclidean on cpu and falls back to brute force for cosine", async () => {
    await tf.setBackend('cpu');
    const { SOM } = await import('@somkit/core');
    await import('./register.js');
    expect(registry.has('search', 'onnxruntime')).toBe(true);
    expect(registry.resolve('search', { name: 'onnxruntime', options: { intraOpNumThreads: 1 } }).options).toEqual({ intraOpNumThreads: 1 });
    const data = Array.from({ length: 20 }, (_, i) => [i % 2, (i * 7) % 5, i / 20]);
    for (const [distance, expected] of [[euclidean(), 'onnxruntime'], [cosine(), 'brute-force']] as const) {
      const som = new SOM({ rows: 3, cols: 3, dims: 3, epochs: 1, distance });
      await som.fit(data);
      expect(som.searchName).toBe(expected);
      som.dispose();
    }
  });
});
