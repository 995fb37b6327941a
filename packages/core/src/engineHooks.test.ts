// The engine hooks `minibatchStep(s)` and `neuronSums`: core hands whole minibatch steps and whole
// batch-map passes to a search backend that has them, and the result is the rule's, whatever runs it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@somkit/kernels/register';
import { defineSearch, isSomError, type MinibatchStep, type MinibatchStepResult, type MinibatchSteps, type MinibatchStepsResult, type NeuronSumsJob, type NeuronSumsResult, type SearchBackend, type SearchContext } from '@somkit/plugin-api';
import { referenceHooks } from '@somkit/testing';
import { bruteForce } from '@somkit/search';
import { mergeSums, SOM } from './SOM.js';
import type { SomOptions } from './config.js';
import { Rng } from './Rng.js';
import { Grid } from './Grid.js';
import { gaussian } from '@somkit/kernels';

function blobs(n: number, d: number, centers: number, seed = 3): number[][] {
  const r = new Rng(seed);
  const c = Array.from({ length: centers }, () => Array.from({ length: d }, () => (r.next() - 0.5) * 20));
  return Array.from({ length: n }, (_, i) => c[i % centers]!.map((v) => v + r.normal() * 0.3));
}

/** The hooks on tfjs from their plain arrays: the reference an engine must match. */
const ref = referenceHooks(bruteForce());
const tfjsStep = ref.minibatchStep;
const tfjsSteps = ref.minibatchSteps;
const tfjsSums = ref.neuronSums;

/** An exact search backend plus the given hooks (the CLI-free stand-in for an engine). */
function engineWith(name: string, hooks: Partial<Pick<SearchBackend, 'minibatchStep' | 'minibatchSteps' | 'neuronSums'>>): SearchBackend {
  return defineSearch(name, () => ({
    priority: 0,
    supports: () => true as const,
    search: (x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext) => bruteForce().search(x, w, k, ctx),
    ...hooks,
  }))();
}

/**
 * Wraps a hook implementation so that its second call, once computed, aborts the returned signal
 * (a plain AbortSignalLike: core's tsconfig has no DOM or Node globals); `applied()` is the
 * codebook that call returned.
 */
function abortOnSecondCall<J, R extends { weights: Float32Array }>(impl: (job: J, ctx: SearchContext) => R) {
  const signal = { aborted: false, reason: 'test' as unknown };
  let applied: Float32Array | undefined;
  let calls = 0;
  const hook = (job: J, ctx: SearchContext): R => {
    const r = impl(job, ctx);
    if (++calls === 2) {
      applied = r.weights;
      signal.aborted = true;
    }
    return r;
  };
  return { signal, hook, calls: () => calls, applied: () => applied! };
}

/** Runs every test of the enclosing describe on tfjs cpu and checks it leaves no tensors behind. */
function leakCheckedOnCpu(): void {
  let before = 0;
  beforeEach(async () => {
    await tf.setBackend('cpu');
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));
}

/** The small hexagonal minibatch map both minibatch hook suites train. */
const MINIBATCH_BASE: SomOptions = { rows: 4, cols: 5, dims: 3, epochs: 3, batchSize: 16, sigma: 1.5, learningRate: 0.5, seed: 9, topology: 'hexagonal' };

/** A backend with the minibatchStep hook, recording the batch sizes it saw. */
function stepEngine(impl: (step: MinibatchStep, ctx: SearchContext) => MinibatchStepResult = tfjsStep) {
  const seen: number[] = [];
  const backend = engineWith('test/step-engine', { minibatchStep: async (step, ctx) => (seen.push(step.batch), impl(step, ctx)) });
  return { backend, seen };
}

describe('SOM with a minibatchStep engine hook', () => {
  leakCheckedOnCpu();

  const base = MINIBATCH_BASE;

  for (const shuffle of [true, false]) {
    it(`runs every batch through the hook (${shuffle ? 'shuffled' : 'in order'}, last batch partial) and trains the same map as the tfjs ops`, async () => {
      const data = blobs(100, 3, 5);
      const { backend, seen } = stepEngine();
      const ref = new SOM({ ...base, search: 'brute-force' });
      const eng = new SOM({ ...base, search: backend });
      try {
        const hRef = await ref.fit(data, { shuffle });
        const hEng = await eng.fit(data, { shuffle });
        // 100 samples in batches of 16: six of 16 and a tail of 4, per epoch.
        expect(seen).toEqual([16, 16, 16, 16, 16, 16, 4, 16, 16, 16, 16, 16, 16, 4, 16, 16, 16, 16, 16, 16, 4]);
        const [wr, we] = [ref.getWeights(), eng.getWeights()];
        for (let i = 0; i < wr.length; i++) expect(Math.abs(wr[i]! - we[i]!)).toBeLessThan(1e-4);
        hEng.qe.forEach((q, e) => expect(q).toBeCloseTo(hRef.qe[e]!, 4));
        expect(hEng.te).toEqual(hRef.te);
      } finally {
        ref.dispose();
        eng.dispose();
      }
    });
  }

  it('an abort mid-epoch keeps the batches already applied (engine path and tfjs path)', async () => {
    const data = blobs(100, 3, 5);
    const stop = abortOnSecondCall(tfjsStep);
    const { backend } = stepEngine(stop.hook);
    const eng = new SOM({ ...base, search: backend });
    const ref = new SOM({ ...base, search: 'brute-force' });
    try {
      await eng.initialize(data);
      const err = await eng.fit(data, { signal: stop.signal }).then(() => undefined, (e: unknown) => e);
      expect(isSomError(err, 'ERR_ABORTED')).toBe(true);
      expect(stop.calls()).toBe(2);
      expect([...eng.getWeights()]).toEqual([...stop.applied()]);
      // The tfjs path: a signal that turns aborted at its 4th read (epoch start, batch 1, batch 2,
      // batch 3) stops after two batches; getWeights() then shows exactly those two updates.
      await ref.initialize(data);
      let reads = 0;
      const signal = { get aborted() { return ++reads >= 4; }, reason: 'test' };
      const err2 = await ref.fit(data, { signal, shuffle: false }).then(() => undefined, (e: unknown) => e);
      expect(isSomError(err2, 'ERR_ABORTED')).toBe(true);
      const two = new SOM({ ...base, search: 'brute-force' });
      try {
        await two.initialize(data);
        await two.fit(data.slice(0, 32), { shuffle: false, epochs: 1 });
        const [got, want] = [ref.getWeights(), two.getWeights()];
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-6);
      } finally {
        two.dispose();
      }
    } finally {
      eng.dispose();
      ref.dispose();
    }
  });

  it('keeps the per-operation path above 4096 units (the kernel table would pass 64 MiB)', async () => {
    const { backend, seen } = stepEngine();
    const som = new SOM({ rows: 65, cols: 64, dims: 2, epochs: 1, batchSize: 25, search: backend, seed: 1 });
    try {
      await som.fit(blobs(50, 2, 3));
      expect(seen).toEqual([]);
      expect(som.isInitialized).toBe(true);
    } finally {
      som.dispose();
    }
  });

  it('rejects a hook result of the wrong size with ERR_SHAPE_MISMATCH naming the backend', async () => {
    const { backend } = stepEngine((step, ctx) => ({ ...tfjsStep(step, ctx), indices: new Int32Array(1) }));
    const som = new SOM({ ...base, search: backend });
    try {
      const err = await som.fit(blobs(40, 3, 2)).then(() => undefined, (e: unknown) => e);
      expect(isSomError(err, 'ERR_SHAPE_MISMATCH')).toBe(true);
      expect(String((err as Error).message)).toMatch(/'test\/step-engine': minibatchStep returned arrays of 60, 1 and 32 values; expected 60 \(weights\), 32 \(indices\)/);
    } finally {
      som.dispose();
    }
  });
});

/** A backend with the minibatchSteps hook (and minibatchStep, which core must then leave alone), recording each call's `steps × batch`. */
function stepsEngine(impl: (job: MinibatchSteps, ctx: SearchContext) => MinibatchStepsResult = tfjsSteps) {
  const seen: string[] = [];
  const backend = engineWith('test/steps-engine', {
    minibatchSteps: async (job, ctx) => (seen.push(`${job.steps}×${job.batch}`), impl(job, ctx)),
    minibatchStep: async () => {
      throw new Error('core called minibatchStep although minibatchSteps is there');
    },
  });
  return { backend, seen };
}

describe('SOM with a minibatchSteps engine hook', () => {
  leakCheckedOnCpu();

  const base = MINIBATCH_BASE;

  for (const shuffle of [true, false]) {
    it(`groups full batches per call, the tail alone, and trains bit for bit the map of one step per call (${shuffle ? 'shuffled' : 'in order'})`, async () => {
      const data = blobs(100, 3, 5);
      const { backend, seen } = stepsEngine();
      const one = stepEngine();
      const ref = new SOM({ ...base, search: 'brute-force' });
      const eng = new SOM({ ...base, search: backend });
      const single = new SOM({ ...base, search: one.backend });
      try {
        const hRef = await ref.fit(data, { shuffle });
        // A 1 s budget: after the first (timed) one-step call, the rest of the full batches go in one call.
        const hEng = await eng.fit(data, { shuffle, yieldEvery: 1000 });
        await single.fit(data, { shuffle });
        expect(seen).toEqual(['1×16', '5×16', '1×4', '6×16', '1×4', '6×16', '1×4']);
        expect([...eng.getWeights()]).toEqual([...single.getWeights()]);
        const [wr, we] = [ref.getWeights(), eng.getWeights()];
        for (let i = 0; i < wr.length; i++) expect(Math.abs(wr[i]! - we[i]!)).toBeLessThan(1e-4);
        hEng.qe.forEach((q, e) => expect(q).toBeCloseTo(hRef.qe[e]!, 4));
        expect(hEng.te).toEqual(hRef.te);
      } finally {
        ref.dispose();
        eng.dispose();
        single.dispose();
      }
    });
  }

  it('hands the kernel (α/b)·h(d², σ) of every unit pair, also on a toroidal hexagonal grid, and (α/size)·h for the tail', async () => {
    const kernels: Array<{ batch: number; kernel: Float32Array }> = [];
    const { backend } = stepsEngine((job, ctx) => (kernels.push({ batch: job.batch, kernel: job.kernel.slice() }), tfjsSteps(job, ctx)));
    const opts: SomOptions = { rows: 4, cols: 6, dims: 3, epochs: 1, batchSize: 16, sigma: 1.7, learningRate: 0.3, seed: 2, topology: 'hexagonal', pbc: true, search: backend };
    const som = new SOM(opts);
    const grid = new Grid({ rows: 4, cols: 6, topology: 'hexagonal', pbc: true });
    try {
      await som.fit(blobs(40, 3, 4));
      const u = grid.units;
      // σ and α of epoch 0 are the configured ones; the neighbourhood is the default gaussian.
      const d2 = new Float32Array(u * u);
      for (let i = 0; i < u; i++) for (let j = 0; j < u; j++) d2[i * u + j] = grid.planeDistance2(i, j);
      const h = tf.tidy(() => gaussian().weights(tf.tensor2d(d2, [u, u]), 1.7).dataSync());
      const sizes = kernels.map((c) => c.batch);
      expect(sizes).toContain(16);
      expect(sizes).toContain(8);
      for (const { batch, kernel } of kernels) {
        expect(kernel.length).toBe(u * u);
        for (let i = 0; i < u * u; i++) expect(Math.abs(kernel[i]! - (0.3 / batch) * h[i]!)).toBeLessThanOrEqual(1e-6 * (0.3 / batch));
      }
    } finally {
      som.dispose();
    }
  });

  it("yieldEvery: 'batch' makes every call one step", async () => {
    const { backend, seen } = stepsEngine();
    const som = new SOM({ ...base, epochs: 1, search: backend });
    try {
      await som.fit(blobs(100, 3, 5), { yieldEvery: 'batch' });
      expect(seen).toEqual(['1×16', '1×16', '1×16', '1×16', '1×16', '1×16', '1×4']);
    } finally {
      som.dispose();
    }
  });

  it('an abort between calls keeps the steps already applied', async () => {
    const data = blobs(100, 3, 5);
    const stop = abortOnSecondCall(tfjsSteps);
    const { backend } = stepsEngine(stop.hook);
    const som = new SOM({ ...base, search: backend });
    try {
      await som.initialize(data);
      const err = await som.fit(data, { signal: stop.signal, yieldEvery: 1000 }).then(() => undefined, (e: unknown) => e);
      expect(isSomError(err, 'ERR_ABORTED')).toBe(true);
      expect(stop.calls()).toBe(2);
      expect([...som.getWeights()]).toEqual([...stop.applied()]);
    } finally {
      som.dispose();
    }
  });

  it('rejects a hook result of the wrong size with ERR_SHAPE_MISMATCH naming the hook', async () => {
    const { backend } = stepsEngine((job, ctx) => ({ ...tfjsSteps(job, ctx), distances: new Float32Array(2) }));
    const som = new SOM({ ...base, search: backend });
    try {
      const err = await som.fit(blobs(40, 3, 2)).then(() => undefined, (e: unknown) => e);
      expect(isSomError(err, 'ERR_SHAPE_MISMATCH')).toBe(true);
      expect(String((err as Error).message)).toMatch(/'test\/steps-engine': minibatchSteps returned arrays of 60, 32 and 2 values; expected 60 \(weights\), 32 \(indices\) and 32 \(distances\)/);
    } finally {
      som.dispose();
    }
  });
});

/** A backend with the neuronSums hook, recording the chunk sizes it saw. */
function sumsEngine(impl: (job: NeuronSumsJob, ctx: SearchContext) => NeuronSumsResult = tfjsSums) {
  const seen: number[] = [];
  const backend = engineWith('test/sums-engine', { neuronSums: async (job, ctx) => (seen.push(job.samples), impl(job, ctx)) });
  return { backend, seen };
}

describe('SOM with a neuronSums engine hook', () => {
  leakCheckedOnCpu();

  const base: SomOptions = { rows: 4, cols: 5, dims: 3, epochs: 3, rule: 'batch-map', sigma: 1.5, seed: 9 };

  it('batch-map: one hook call per epoch over all samples, the same map and history as the tfjs ops', async () => {
    const data = blobs(90, 3, 5);
    const { backend, seen } = sumsEngine();
    const ref = new SOM({ ...base, search: 'brute-force' });
    const eng = new SOM({ ...base, search: backend });
    try {
      const hRef = await ref.fit(data);
      const hEng = await eng.fit(data);
      expect(seen).toEqual([90, 90, 90]);
      const [wr, we] = [ref.getWeights(), eng.getWeights()];
      for (let i = 0; i < wr.length; i++) expect(Math.abs(wr[i]! - we[i]!)).toBeLessThan(1e-4);
      hEng.qe.forEach((q, e) => expect(q).toBeCloseTo(hRef.qe[e]!, 4));
      expect(hEng.te).toEqual(hRef.te);
    } finally {
      ref.dispose();
      eng.dispose();
    }
  });

  it('accumulate goes through the hook too, and its merged sums equal the tfjs ones', async () => {
    const data = blobs(60, 3, 4);
    const { backend, seen } = sumsEngine();
    const ref = new SOM({ ...base, search: 'brute-force' });
    const eng = new SOM({ ...base, search: backend });
    try {
      await ref.initialize(data);
      await eng.setWeights({ data: ref.getWeights(), shape: [20, 3] });
      const a = mergeSums([await ref.accumulate(data.slice(0, 25)), await ref.accumulate(data.slice(25))]);
      const b = mergeSums([await eng.accumulate(data.slice(0, 25)), await eng.accumulate(data.slice(25))]);
      expect(seen).toEqual([25, 35]);
      expect(b.n).toBe(60);
      for (let i = 0; i < a.sums.length; i++) expect(b.sums[i]).toBeCloseTo(a.sums[i]!, 4);
      expect(b.qeSum).toBeCloseTo(a.qeSum, 3);
      expect(b.teCount).toBe(a.teCount);
    } finally {
      ref.dispose();
      eng.dispose();
    }
  });

  it('rejects a hook result of the wrong size with ERR_SHAPE_MISMATCH naming the backend', async () => {
    const { backend } = sumsEngine((job, ctx) => ({ ...tfjsSums(job, ctx), sums: new Float32Array(5) }));
    const som = new SOM({ ...base, search: backend });
    try {
      const err = await som.fit(blobs(40, 3, 2)).then(() => undefined, (e: unknown) => e);
      expect(isSomError(err, 'ERR_SHAPE_MISMATCH')).toBe(true);
      expect(String((err as Error).message)).toMatch(/'test\/sums-engine': neuronSums returned arrays of 5, 80 and 80 values; expected 80 \(sums\)/);
    } finally {
      som.dispose();
    }
  });
});
