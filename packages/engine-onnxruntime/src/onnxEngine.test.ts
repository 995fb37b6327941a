import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { cosine, euclidean, manhattan, sqeuclidean } from '@somkit/kernels';
import { KERNEL_NAMES, registry, type EngineContext, type EngineKernels } from '@somkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { onnxEngine, releaseSessions } from './index.js';
import { ctxFor, rand, tableOf } from './kernels.fixture.js';

const ctx = (distance = euclidean(), backend = 'cpu', units = 10, dims = 3): EngineContext => ({ backend, distance, units, dims });

describe('onnxEngine: plugin, supports(), sessions and failures', () => {
  it('is a frozen engine plugin named onnxruntime with priority 100 and JSON options', () => {
    const e = onnxEngine({ intraOpNumThreads: 1, spinning: true });
    expect(e).toMatchObject({ kind: 'engine', name: 'onnxruntime', apiVersion: 2, priority: 100, options: { intraOpNumThreads: 1, spinning: true } });
    expect(Object.isFrozen(e)).toBe(true);
    expect(onnxEngine().options).toBeUndefined();
    // The v1 search-backend hooks are gone.
    for (const old of ['search', 'searchAsync', 'product', 'minibatchStep', 'minibatchSteps', 'neuronSums']) expect(old in e).toBe(false);
  });

  it('supports euclidean and sqeuclidean on cpu and wasm, and says why not otherwise', () => {
    const e = onnxEngine();
    expect(e.supports(ctx(euclidean(), 'cpu'))).toBe(true);
    expect(e.supports(ctx(sqeuclidean(), 'wasm'))).toBe(true);
    expect(e.supports(ctx(cosine()))).toMatch(/only the euclidean and sqeuclidean distances, not 'cosine'/);
    expect(e.supports(ctx(manhattan()))).toMatch(/not 'manhattan'/);
    expect(e.supports(ctx(euclidean(), 'webgpu'))).toMatch(/cpu or wasm backends .* on 'webgpu'/);
  });

  it('open() refuses a context it does not support (an unsupported distance or backend) with ERR_BACKEND_UNSUPPORTED and the reason', () => {
    expect(() => onnxEngine().open(ctx(manhattan()))).toThrow(expect.objectContaining({ code: 'ERR_BACKEND_UNSUPPORTED', message: expect.stringMatching(/cannot run here: .*not 'manhattan'/) }));
    expect(() => onnxEngine().open(ctx(euclidean(), 'webgl'))).toThrow(/on 'webgl'/);
  });

  it('a session has the four kernels; close() is idempotent and later calls are refused', async () => {
    const s = await onnxEngine().open(ctxFor(4, 2));
    expect(Object.keys(s.kernels).sort()).toEqual([...KERNEL_NAMES].sort());
    const k = s.kernels as Required<EngineKernels>;
    const job = { x: rand(6, 1), weights: rand(8, 2), samples: 3, units: 4, dims: 2, k: 1 };
    expect((await k.bmu(job)).indices.length).toBe(3);
    await s.close();
    await s.close();
    await expect(k.bmu(job)).rejects.toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT', message: expect.stringMatching(/bmu: the engine session was closed/) }));
    await expect(k.neighborhoodProduct({ kernel: tableOf({ rows: 2, cols: 2 }), m: rand(4, 3), units: 4, columns: 1 })).rejects.toThrow(/session was closed/);
    // Two sessions side by side close independently.
    const [a, b] = [await onnxEngine().open(ctxFor(4, 2)), await onnxEngine().open(ctxFor(4, 2))];
    await a.close();
    expect((await (b.kernels as Required<EngineKernels>).bmu(job)).indices.length).toBe(3);
    await b.close();
  });

  it("executionProviders: ['cuda'] without the CUDA libraries is refused with a reason, and open() throws ERR_BACKEND_UNSUPPORTED", async () => {
    const e = onnxEngine({ executionProviders: ['cuda'] });
    const reason = e.supports(ctxFor(2, 3));
    if (reason === true) {
      // A machine with working CUDA provider libraries: nothing to refuse.
      expect(await e.ready()).toBe(true);
      return;
    }
    expect(reason).toMatch(/CUDA|cuda/);
    expect(await e.ready()).toBe(reason);
    expect(() => e.open(ctxFor(2, 3))).toThrow(expect.objectContaining({ code: 'ERR_BACKEND_UNSUPPORTED', message: expect.stringMatching(/onnxruntime' cannot run here: .*CUDA/) }));
  });

  it('an unknown execution provider is refused with the providers this build has', () => {
    expect(onnxEngine({ executionProviders: ['nope'] }).supports(ctxFor(2, 3))).toMatch(/execution provider 'nope' is not in this onnxruntime-node build \(it has: cpu/);
  });

  it('rejects bad options with ERR_INVALID_CONFIG', () => {
    for (const bad of [{ executionProviders: [] }, { executionProviders: 'cpu' }, { intraOpNumThreads: 0 }, { spinning: 'yes' }, { maxBlockElements: 1.5 }]) {
      expect(() => onnxEngine(bad as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_CONFIG' }));
    }
  });

  it('ready() creates the sessions; releaseSessions() frees them and the next kernel call makes new ones', async () => {
    const e = onnxEngine();
    expect(await e.ready()).toBe(true);
    const s = await e.open(ctxFor(3, 2));
    await releaseSessions();
    const r = await (s.kernels as Required<EngineKernels>).bmu({ x: Float32Array.of(0, 0, 3, 3), weights: Float32Array.of(3, 3.5, 0, 0.5, 9, 9), samples: 2, units: 3, dims: 2, k: 2 });
    expect([...r.indices]).toEqual([1, 0, 0, 1]);
    const want = [0.5, Math.hypot(3, 3.5), 0.5, Math.hypot(3, 2.5)];
    r.distances.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    await s.close();
  });
});

describe('@somkit/engine-onnxruntime/register', () => {
  it("registers engine 'onnxruntime', so engine: 'auto' picks it for euclidean on cpu and falls back to tfjs for cosine", async () => {
    await tf.setBackend('cpu');
    const { SOM } = await import('@somkit/core');
    await import('./register.js');
    expect(registry.has('engine', 'onnxruntime')).toBe(true);
    expect(registry.resolve('engine', { name: 'onnxruntime', options: { intraOpNumThreads: 1 } }).options).toEqual({ intraOpNumThreads: 1 });
    const data = Array.from({ length: 20 }, (_, i) => [i % 2, (i * 7) % 5, i / 20]);
    for (const [distance, expected] of [[euclidean(), 'onnxruntime'], [cosine(), 'tfjs']] as const) {
      const som = new SOM({ rows: 3, cols: 3, dims: 3, epochs: 1, distance });
      try {
        await som.fit(data);
        expect(som.engineChoice?.name).toBe(expected);
      } finally {
        som.dispose();
      }
    }
  });
});
