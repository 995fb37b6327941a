// The engine contract seen from core: a session's kernels run where the engine has them, core's
// tfjs reference runs the rest, and the result is the rule's whatever runs it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@somkit/kernels/register';
import { defineEngine, defineSearch, isSomError, type EngineKernels, type MinibatchStepsJob, type NeuronSumsJob, type SearchContext } from '@somkit/plugin-api';
import { bruteForce } from '@somkit/search';
import { gaussian } from '@somkit/kernels';
import { SOM } from '../SOM.js';
import type { SomOptions } from '../config.js';
import { Rng } from '@somkit/geometry';
import { Grid } from '@somkit/geometry';
import { mergeSums } from './NeuronSums.js';
import { referenceKernels } from './referenceKernels.js';
import { useEngine } from './resolveEngine.js';

function blobs(n: number, d: number, centers: number, seed = 3): number[][] {
  const r = new Rng(seed);
  const c = Array.from({ length: centers }, () => Array.from({ length: d }, () => (r.next() - 0.5) * 20));
  return Array.from({ length: n }, (_, i) => c[i % centers]!.map((v) => v + r.normal() * 0.3));
}

function leakCheckedOnCpu(): void {
  let before = 0;
  beforeEach(async () => {
    await tf.setBackend('cpu');
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));
}

/** The exact brute force as the reference kernels' strategy. */
const reference = () => referenceKernels({ strategy: bruteForce(), ctx: { backend: 'cpu', distance: { name: 'euclidean' } as never, units: 0, dims: 0 } as SearchContext });

/**
 * A test engine: its kernels are core's reference kernels (so results must equal the tfjs
 * engine's bit for bit), wrapped to record calls; `only` restricts which kernels it has.
 */
function recordingEngine(only: readonly (keyof EngineKernels)[], wrap: Partial<{ [K in keyof EngineKernels]: (job: never, real: NonNullable<EngineKernels[K]>) => ReturnType<NonNullable<EngineKernels[K]>> }> = {}) {
  const calls: Array<{ kernel: string; job: unknown }> = [];
  let opened = 0;
  let closed = 0;
  const engine = defineEngine('test/recording', () => ({
    priority: 1,
    supports: () => true as const,
    open: (ctx) => {
      opened++;
      const ref = referenceKernels({ strategy: bruteForce(), ctx: { ...ctx } });
      const kernels: EngineKernels = {};
      for (const name of only) {
        const real = ref[name].bind(ref) as never;
        const w = (wrap as Record<string, (job: never, real: never) => unknown>)[name];
        (kernels as Record<string, unknown>)[name] = async (job: never) => {
          calls.push({ kernel: name, job });
          return w ? w(job, real) : (real as (j: never) => unknown)(job);
        };
      }
      return { kernels, close: () => void (closed++, ref.close()) };
    },
  }))();
  return { engine, calls, opened: () => opened, closed: () => closed };
}

// The minibatch rule from random rows (the defaults before the 'somkit' preset; named since).
const BASE: SomOptions = { rows: 4, cols: 5, dims: 3, epochs: 3, batchSize: 16, sigma: 1.5, learningRate: 0.5, seed: 9, topology: 'hexagonal', rule: 'minibatch', init: 'random' };

describe('engines: minibatch rule', () => {
  leakCheckedOnCpu();

  for (const shuffle of [true, false]) {
    it(`runs every batch through minibatchSteps (${shuffle ? 'shuffled' : 'in order'}, tail alone, grouped calls) and trains bit for bit the tfjs engine's map`, async () => {
      const data = blobs(100, 3, 4);
      const rec = recordingEngine(['minibatchSteps']);
      const ref = new SOM({ ...BASE, engine: 'tfjs' });
      const eng = new SOM({ ...BASE, engine: rec.engine });
      try {
        const hRef = await ref.fit(data, { shuffle, yieldEvery: 1000 });
        const hEng = await eng.fit(data, { shuffle, yieldEvery: 1000 });
        expect(eng.getWeights()).toEqual(ref.getWeights());
        expect(hEng.qe).toEqual(hRef.qe);
        expect(hEng.te).toEqual(hRef.te);
        const jobs = rec.calls.map((c) => c.job as MinibatchStepsJob);
        // 100 = 6 × 16 + 4 per epoch: the tail of 4 is its own one-step call; later calls group steps.
        expect(jobs.filter((j) => j.batch === 4).every((j) => j.steps === 1)).toBe(true);
        expect(jobs.reduce((s, j) => s + j.steps * j.batch, 0)).toBe(300);
        expect(Math.max(...jobs.map((j) => j.steps))).toBeGreaterThan(1);
        expect(eng.engineChoice?.name).toBe('test/recording');
      } finally {
        ref.dispose();
        eng.dispose();
      }
    });
  }

  it('hands the kernel (α/b)·h(d², σ) of every unit pair as a small offset table, also on a toroidal hexagonal grid, and (α/size)·h for the tail', async () => {
    const rec = recordingEngine(['minibatchSteps']);
    const som = new SOM({ rows: 4, cols: 6, dims: 3, epochs: 1, batchSize: 16, sigma: 1.7, learningRate: 0.3, seed: 2, topology: 'hexagonal', pbc: true, rule: 'minibatch', init: 'random', engine: rec.engine });
    const grid = new Grid({ rows: 4, cols: 6, topology: 'hexagonal', pbc: true });
    try {
      await som.fit(blobs(40, 3, 4));
      const u = grid.units;
      const d2 = new Float32Array(u * u);
      for (let i = 0; i < u; i++) for (let j = 0; j < u; j++) d2[i * u + j] = grid.planeDistance2(i, j);
      const h = tf.tidy(() => gaussian().weights(tf.tensor2d(d2, [u, u]), 1.7).dataSync());
      const jobs = rec.calls.map((c) => c.job as MinibatchStepsJob);
      expect(jobs.map((j) => j.batch)).toContain(8);
      for (const j of jobs) {
        expect(j.kernel.values.length).toBeLessThanOrEqual(2 * (2 * 4 - 1) * (2 * 6 - 1));
        for (let a = 0; a < u; a++) {
          for (let b = 0; b < u; b++) {
            const got = j.kernel.values[j.kernel.base[a]! + j.kernel.offset[b]!]!;
            expect(Math.abs(got - (0.3 / j.batch) * h[a * u + b]!)).toBeLessThanOrEqual(1e-6 * (0.3 / j.batch));
          }
        }
      }
    } finally {
      som.dispose();
    }
  });

  it('uses the kernel on maps above 4096 units too (no [u, u] table anywhere)', async () => {
    const rec = recordingEngine(['minibatchSteps']);
    const som = new SOM({ rows: 70, cols: 70, dims: 2, epochs: 1, batchSize: 32, sigma: 3, seed: 1, rule: 'minibatch', init: 'random', engine: rec.engine });
    try {
      await som.fit(blobs(64, 2, 3));
      expect(rec.calls.length).toBeGreaterThan(0);
      const j = rec.calls[0]!.job as MinibatchStepsJob;
      expect(j.units).toBe(4900);
      expect(j.kernel.values.length).toBeLessThan(4 * 4900);
    } finally {
      som.dispose();
    }
  });

  it("yieldEvery: 'batch' makes every call one step", async () => {
    const rec = recordingEngine(['minibatchSteps']);
    const som = new SOM({ ...BASE, epochs: 1, engine: rec.engine });
    try {
      await som.fit(blobs(100, 3, 5), { yieldEvery: 'batch' });
      expect(rec.calls.map((c) => (c.job as MinibatchStepsJob).steps).every((s) => s === 1)).toBe(true);
    } finally {
      som.dispose();
    }
  });

  it('an abort between calls keeps the steps already applied', async () => {
    const signal = { aborted: false, reason: 'test' as unknown };
    let applied: Float32Array | undefined;
    let n = 0;
    const rec = recordingEngine(['minibatchSteps'], {
      minibatchSteps: async (job, real) => {
        const r = await real(job);
        if (++n === 2) {
          applied = r.weights;
          signal.aborted = true;
        }
        return r;
      },
    });
    const som = new SOM({ ...BASE, engine: rec.engine });
    try {
      const err = await som.fit(blobs(200, 3, 4), { signal, yieldEvery: 'batch' }).then(() => undefined, (e: unknown) => e);
      expect(isSomError(err, 'ERR_ABORTED')).toBe(true);
      expect(som.getWeights()).toEqual(applied);
      expect(som.toJSON().codebook.data).toBeTypeOf('string');
    } finally {
      som.dispose();
    }
  });

  it('rejects a kernel result of the wrong size with ERR_SHAPE_MISMATCH naming the engine and kernel', async () => {
    const rec = recordingEngine(['minibatchSteps'], { minibatchSteps: async (job, real) => ({ ...(await real(job)), weights: new Float32Array(3) }) });
    const som = new SOM({ ...BASE, engine: rec.engine });
    try {
      const err = await som.fit(blobs(40, 3, 2)).then(() => undefined, (e: unknown) => e);
      expect(isSomError(err, 'ERR_SHAPE_MISMATCH')).toBe(true);
      expect((err as Error).message).toMatch(/Engine 'test\/recording': minibatchSteps returned/);
    } finally {
      som.dispose();
    }
  });
});

describe('engines: batch-map rule, streaming and shards', () => {
  leakCheckedOnCpu();
  // Hexagonal: on a rectangular grid the gaussian's product runs separably, outside the kernel.
  const base: SomOptions = { rows: 5, cols: 5, dims: 3, epochs: 4, sigma: 2, rule: 'batch-map', seed: 4, topology: 'hexagonal' };

  it('one neuronSums and one neighborhoodProduct call per epoch; the same map and history as the tfjs engine', async () => {
    const data = blobs(120, 3, 4);
    const rec = recordingEngine(['neuronSums', 'neighborhoodProduct']);
    const ref = new SOM({ ...base, engine: 'tfjs' });
    const eng = new SOM({ ...base, engine: rec.engine });
    try {
      const hRef = await ref.fit(data);
      const hEng = await eng.fit(data);
      expect(eng.getWeights()).toEqual(ref.getWeights());
      expect(hEng).toEqual({ ...hRef, seconds: hEng.seconds });
      expect(rec.calls.filter((c) => c.kernel === 'neuronSums')).toHaveLength(4);
      expect(rec.calls.filter((c) => c.kernel === 'neighborhoodProduct')).toHaveLength(4);
      expect((rec.calls[0]!.job as NeuronSumsJob).samples).toBe(120);
    } finally {
      ref.dispose();
      eng.dispose();
    }
  });

  it('large rectangular maps apply the separable gaussian along rows and columns (no neighborhoodProduct call); hexagonal ones use the kernel', async () => {
    const data = blobs(60, 3, 3);
    for (const [topology, calls] of [['rectangular', 0], ['hexagonal', 1]] as const) {
      const rec = recordingEngine(['neighborhoodProduct']);
      const som = new SOM({ rows: 50, cols: 50, dims: 3, epochs: 1, sigma: 10, rule: 'batch-map', topology, engine: rec.engine });
      try {
        await som.fit(data);
        expect(rec.calls.filter((c) => c.kernel === 'neighborhoodProduct')).toHaveLength(calls);
        expect(som.getWeights().every(Number.isFinite)).toBe(true);
      } finally {
        som.dispose();
      }
    }
  });

  it('accumulate goes through neuronSums, and merged shard sums equal the whole pass', async () => {
    const data = blobs(90, 3, 3);
    const rec = recordingEngine(['neuronSums']);
    const som = new SOM({ ...base, engine: rec.engine });
    try {
      await som.initialize(data);
      const whole = await som.accumulate(data);
      const parts = mergeSums([await som.accumulate(data.slice(0, 40)), await som.accumulate(data.slice(40))]);
      expect(rec.calls).toHaveLength(3);
      for (let i = 0; i < whole.sums.length; i++) expect(parts.sums[i]).toBeCloseTo(whole.sums[i]!, 4);
      expect(parts.n).toBe(90);
      expect(parts.teCount).toBe(whole.teCount);
    } finally {
      som.dispose();
    }
  });

  it('fitSums runs the shared epoch loop: callbacks, initialEpoch, and the same map as fit', async () => {
    const data = blobs(80, 3, 3);
    const a = new SOM(base);
    const b = new SOM(base);
    try {
      await a.fit(data);
      await b.initialize(data);
      const seen: number[] = [];
      const h = await b.fitSums(() => b.accumulate(data), { callbacks: [{ onEpochEnd: (e) => void seen.push(e) }] });
      expect(seen).toEqual([0, 1, 2, 3]);
      expect(h.qe).toHaveLength(4);
      expect(b.history.qe).toHaveLength(4);
      const wa = a.getWeights();
      const wb = b.getWeights();
      for (let i = 0; i < wa.length; i++) expect(wb[i]).toBeCloseTo(wa[i]!, 4);
      const c = new SOM(base);
      try {
        await c.initialize(data);
        await c.fit(data, { epochs: 4, initialEpoch: 0, onEpochEnd: (e) => { if (e === 1) throw new Error('stop'); } }).catch(() => undefined);
        // Resume where it stopped: epochs 2 and 3 of the same schedule.
        const rest = await c.fit(data, { epochs: 4, initialEpoch: 2 });
        expect(rest.sigma).toEqual(a.history.sigma.slice(2));
      } finally {
        c.dispose();
      }
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});

describe('engines: search strategies and engines together', () => {
  leakCheckedOnCpu();

  /** An exact search under a strategy that does not declare it exact: core must search first. */
  const approx = defineSearch('test/approx', () => ({ priority: 0, supports: () => true as const, search: (x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext) => bruteForce().search(x, w, k, ctx) }));

  it('a non-exact strategy hands its search to the engine as given (one step per call), and the map is the same', async () => {
    const data = blobs(64, 3, 3);
    const rec = recordingEngine(['minibatchSteps', 'neuronSums', 'bmu']);
    const ref = new SOM({ ...BASE, search: approx() });
    const eng = new SOM({ ...BASE, search: approx(), engine: rec.engine });
    try {
      await ref.fit(data, { yieldEvery: 1000 });
      await eng.fit(data, { yieldEvery: 1000 });
      const jobs = rec.calls.filter((c) => c.kernel === 'minibatchSteps').map((c) => c.job as MinibatchStepsJob);
      expect(jobs.length).toBeGreaterThan(0);
      expect(jobs.every((j) => j.steps === 1 && j.given !== undefined)).toBe(true);
      const wr = ref.getWeights();
      const we = eng.getWeights();
      for (let i = 0; i < wr.length; i++) expect(we[i]).toBeCloseTo(wr[i]!, 5);
      // The engine's own bmu kernel is never used with a non-exact strategy.
      await eng.evaluate(data);
      expect(rec.calls.some((c) => c.kernel === 'bmu')).toBe(false);
    } finally {
      ref.dispose();
      eng.dispose();
    }
  });

  it('with an exact strategy, evaluate/predict use the engine bmu kernel', async () => {
    const rec = recordingEngine(['bmu']);
    const som = new SOM({ ...BASE, engine: rec.engine });
    try {
      const data = blobs(30, 3, 2);
      await som.initialize(data);
      const r = await som.evaluate(data);
      expect(rec.calls.map((c) => c.kernel)).toEqual(['bmu']);
      const plain = new SOM({ ...BASE, engine: 'tfjs' });
      try {
        await plain.setWeights({ data: som.getWeights(), shape: [20, 3] });
        expect(await plain.evaluate(data)).toEqual(r);
      } finally {
        plain.dispose();
      }
    } finally {
      som.dispose();
    }
  });
});

describe('engines: choice, lifetime, model files, determinism', () => {
  leakCheckedOnCpu();

  it('the engine is never saved in the model file; a v1 file naming an engine as its search loads with search auto', async () => {
    const rec = recordingEngine(['minibatchSteps']);
    const som = new SOM({ ...BASE, engine: rec.engine });
    try {
      await som.fit(blobs(40, 3, 2));
      const json = som.toJSON();
      expect(JSON.stringify(json)).not.toMatch(/recording|engine/);
      const old = { ...json, config: { ...json.config, search: { name: 'onnxruntime', options: { intraOpNumThreads: 1 } } } };
      const back = await SOM.fromJSON(old);
      try {
        expect(back.config.search).toBe('auto');
        expect(back.getWeights()).toEqual(som.getWeights());
      } finally {
        back.dispose();
      }
    } finally {
      som.dispose();
    }
  });

  it('opens one session per SOM and engine, closes it on dispose, and fit(x, { engine }) overrides the SOM option', async () => {
    const a = recordingEngine(['minibatchSteps']);
    const b = recordingEngine(['minibatchSteps']);
    const som = new SOM({ ...BASE, epochs: 1, engine: a.engine });
    const data = blobs(40, 3, 2);
    await som.fit(data);
    await som.fit(data);
    expect([a.opened(), a.closed()]).toEqual([1, 0]);
    await som.fit(data, { engine: b.engine });
    expect([a.closed(), b.opened()]).toEqual([1, 1]);
    som.dispose();
    await Promise.resolve();
    expect(b.closed()).toBe(1);
  });

  it('useEngine sets the process default; an unknown engine name says how to register one', async () => {
    const rec = recordingEngine(['minibatchSteps']);
    const prev = useEngine(rec.engine);
    const som = new SOM({ ...BASE, epochs: 1 });
    try {
      await som.fit(blobs(40, 3, 2));
      expect(rec.calls.length).toBeGreaterThan(0);
    } finally {
      useEngine(prev);
      som.dispose();
    }
    const bad = new SOM({ ...BASE, engine: 'no-such-engine' });
    try {
      const err = await bad.fit(blobs(40, 3, 2)).then(() => undefined, (e: unknown) => e);
      expect(isSomError(err, 'ERR_UNKNOWN_PLUGIN')).toBe(true);
      expect((err as Error).message).toMatch(/Unknown engine 'no-such-engine'/);
    } finally {
      bad.dispose();
    }
  });

  it("a v1-style search: engine setting routes to the engine", async () => {
    const rec = recordingEngine(['minibatchSteps']);
    const som = new SOM({ ...BASE, epochs: 1, search: rec.engine as never });
    try {
      await som.fit(blobs(40, 3, 2));
      expect(rec.calls.length).toBeGreaterThan(0);
      expect(som.config.search).toBe('auto');
    } finally {
      som.dispose();
    }
  });

  for (const rule of ['minibatch', 'batch-map'] as const) {
    it(`same seed, same result: two ${rule} fits on the tfjs engine give identical codebooks bit for bit`, async () => {
      const data = blobs(150, 3, 4);
      const opts: SomOptions = { ...BASE, rule, epochs: 3 };
      const a = new SOM(opts);
      const b = new SOM(opts);
      try {
        await a.fit(data);
        await b.fit(data);
        expect(new Uint32Array(b.getWeights().buffer)).toEqual(new Uint32Array(a.getWeights().buffer));
      } finally {
        a.dispose();
        b.dispose();
      }
    });
  }

  it('the reference kernels leave no tensors after close()', async () => {
    const r = reference();
    r.close();
  });
});
