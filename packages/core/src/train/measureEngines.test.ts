// engine: 'auto' by measurement: on a job big enough, a probe step of the rule is timed on every
// engine that can run it and the fastest wins; small jobs keep the priority rule.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@somkit/kernels/register';
import { defineEngine, type MinibatchStepsJob, type NeuronSumsJob } from '@somkit/plugin-api';
import { Rng } from '@somkit/geometry';
import { SOM } from '../SOM.js';
import type { SomOptions } from '../config.js';
import { PROBE_MIN_WORK } from './EngineSlot.js';

declare function setTimeout(f: () => void, ms: number): unknown;

let seq = 0;

/**
 * A test engine whose kernels return at once (after `delayMs`) with the codebook unchanged and
 * no BMU found; it counts kernel calls and opened/closed sessions.
 */
function fakeEngine(label: string, priority: number, delayMs: number) {
  const name = `test/${label}-${++seq}`;
  const count = { calls: 0, opened: 0, closed: 0 };
  const jobs: Array<{ rows: number[]; weights: number[] }> = [];
  const wait = () => new Promise<void>((r) => setTimeout(() => r(), delayMs));
  const engine = defineEngine(name, () => ({
    priority,
    supports: () => true as const,
    open: () => {
      count.opened++;
      return {
        kernels: {
          async minibatchSteps(j: MinibatchStepsJob) {
            count.calls++;
            jobs.push({ rows: Array.from(j.rows), weights: Array.from(j.weights) });
            await wait();
            const m = j.steps * j.batch * j.k;
            return { weights: j.weights.slice(), indices: new Int32Array(m), distances: new Float32Array(m) };
          },
          async neuronSums(j: NeuronSumsJob) {
            count.calls++;
            await wait();
            return { sums: new Float32Array(j.units * (j.dims + 1)), indices: new Int32Array(j.samples * j.k), distances: new Float32Array(j.samples * j.k) };
          },
        },
        close: () => void count.closed++,
      };
    },
  }))();
  return { engine, name, count, jobs };
}

/** n · u · d = 25,000 · 400 · 5 = PROBE_MIN_WORK (a job just big enough to be measured). */
const BIG: SomOptions = { rows: 20, cols: 20, dims: 5, epochs: 1, batchSize: 256, sigma: 2, learningRate: 0.5, seed: 4, rule: 'minibatch', init: 'random' };
const BIG_N = 25_000;

function data(n: number, d: number): number[][] {
  const r = new Rng(11);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
}

describe("engine: 'auto' by measurement", () => {
  let before = 0;
  beforeEach(async () => {
    await tf.setBackend('cpu');
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('the job size of the test is the threshold', () => {
    expect(BIG_N * 400 * 5).toBe(PROBE_MIN_WORK);
  });

  for (const rule of ['minibatch', 'batch-map'] as const) {
    it(`a slow engine with a higher priority loses to a fast one on a big ${rule} job; the reason names the timings; probe sessions are closed; the decision is cached`, async () => {
      const slow = fakeEngine('slow', 10, 40);
      const fast = fakeEngine('fast', 5, 0);
      const x = data(BIG_N, 5);
      const som = new SOM({ ...BIG, rule, plugins: [slow.engine, fast.engine] });
      try {
        await som.fit(x);
        expect(som.engineChoice?.name).toBe(fast.name);
        const reason = som.engineChoice!.reason;
        expect(reason).toMatch(new RegExp(`^auto: ${fast.name} \\d+\\.\\d+ ms vs .* per 2,048-row probe step \\(${rule}\\)$`));
        expect(reason).toMatch(new RegExp(`${slow.name} \\d+\\.\\d+ ms`));
        expect(reason).toMatch(/tfjs \d+\.\d+ ms/);
        // Warm-up and the timed step, each one kernel call (the batch-map probe of a fake engine
        // runs the reference product; the minibatch probe is one call of 8 steps).
        expect(slow.count.calls).toBe(2);
        expect(slow.count.opened).toBe(1);
        expect(slow.count.closed).toBe(1);
        // The probe's session, closed, and the training session, open until dispose.
        expect(fast.count.opened).toBe(2);
        expect(fast.count.closed).toBe(1);
      } finally {
        som.dispose();
      }
      await Promise.resolve();
      expect(fast.count.closed).toBe(2);

      // The same job again in this process: no probe.
      const again = new SOM({ ...BIG, rule, plugins: [slow.engine, fast.engine] });
      try {
        await again.fit(x);
        expect(again.engineChoice?.name).toBe(fast.name);
        expect(again.engineChoice!.reason).toMatch(/per 2,048-row probe step .*; measured earlier in this process$/);
        expect(slow.count.calls).toBe(2);
        expect(slow.count.opened).toBe(1);
        expect(fast.count.opened).toBe(3);
      } finally {
        again.dispose();
      }
    });
  }

  it('an engine whose warm-up is already several times slower than the fastest so far is not timed again', async () => {
    // The fast engine's probe step includes the tfjs reference product (the fakes have none):
    // 30–220 ms on the cpu backend, depending on the machine's load. The slow engine's warm-up
    // must be more than 4× that for the cut to apply, so it waits 2 s.
    const fast = fakeEngine('fast', 10, 0);
    const slow = fakeEngine('slow', 5, 2000);
    const som = new SOM({ ...BIG, rule: 'batch-map', plugins: [slow.engine, fast.engine] });
    try {
      await som.fit(data(BIG_N, 5));
      expect(som.engineChoice?.name).toBe(fast.name);
      expect(som.engineChoice!.reason).toMatch(new RegExp(`${slow.name} \\d+(\\.\\d+)? ms`));
      expect(slow.count.calls).toBe(1);
      expect(slow.count.closed).toBe(1);
    } finally {
      som.dispose();
    }
  });

  it('minibatch: an engine timed after the fastest warms up on one batch first and, already slower per row there, is cut after that one call (its time estimated)', async () => {
    const fast = fakeEngine('fast', 10, 0);
    const slow = fakeEngine('slow', 5, 300);
    const som = new SOM({ ...BIG, plugins: [slow.engine, fast.engine] });
    try {
      await som.fit(data(BIG_N, 5));
      expect(som.engineChoice?.name).toBe(fast.name);
      // One call of one batch (256 rows: its 300 ms × 8 > 4 × the fast engine's step), not 2 of 2,048 rows.
      expect(slow.count.calls).toBe(1);
      expect(slow.jobs[0]!.rows).toEqual(Array.from({ length: 256 }, (_, i) => i));
      expect(slow.count.closed).toBe(1);
      expect(som.engineChoice!.reason).toMatch(new RegExp(`${slow.name} \\d+(\\.\\d+)? ms \\(estimated from 256 rows\\)`));
      expect(som.engineChoice!.reason).toMatch(new RegExp(`^auto: ${fast.name} \\d+\\.\\d+ ms vs `));
    } finally {
      som.dispose();
    }
  });

  it('small jobs keep the priority rule (no probe)', async () => {
    const slow = fakeEngine('slow', 10, 1);
    const fast = fakeEngine('fast', 5, 0);
    const som = new SOM({ ...BIG, plugins: [slow.engine, fast.engine] });
    try {
      await som.fit(data(200, 5));
      expect(som.engineChoice?.name).toBe(slow.name);
      expect(som.engineChoice!.reason).not.toMatch(/ms/);
      expect(fast.count.opened).toBe(0);
    } finally {
      som.dispose();
    }
  });

  it('the probe does not change training results: batch-map, the tfjs engine wins and trains the same bits as engine: tfjs', async () => {
    const slow = fakeEngine('slow', 10, 1500);
    const x = data(BIG_N, 5);
    const opts: SomOptions = { ...BIG, rule: 'batch-map' };
    const auto = new SOM({ ...opts, plugins: [slow.engine] });
    const tfjs = new SOM({ ...opts, engine: 'tfjs' });
    try {
      await auto.fit(x);
      await tfjs.fit(x);
      expect(auto.engineChoice?.name).toBe('tfjs');
      expect(auto.engineChoice!.reason).toMatch(/^auto: tfjs \d+\.\d+ ms vs test\/slow-\d+ \d+(\.\d+)? ms per 2,048-row probe step \(batch-map\)$/);
      expect(auto.getWeights()).toEqual(tfjs.getWeights());
      expect(auto.history.qe).toEqual(tfjs.history.qe);
    } finally {
      auto.dispose();
      tfjs.dispose();
    }
  });

  it('the probe does not change training results: minibatch, the engine picked by measurement gets the same rows and codebook as when named', async () => {
    const x = data(BIG_N, 5);
    const run = async (engineFor: (e: ReturnType<typeof fakeEngine>) => Partial<SomOptions>) => {
      const fast = fakeEngine('fast', 5, 0);
      const slow = fakeEngine('slow', 10, 40);
      const som = new SOM({ ...BIG, ...engineFor(fast), plugins: [slow.engine, fast.engine] });
      try {
        await som.fit(x, { yieldEvery: 'epoch' });
        return { choice: som.engineChoice, jobs: fast.jobs };
      } finally {
        som.dispose();
      }
    };
    const auto = await run(() => ({}));
    const named = await run((fast) => ({ engine: fast.engine }));
    expect(auto.choice?.reason).toMatch(/probe step/);
    expect(named.choice?.reason).toBe('chosen by name');
    // The probe on the engine timed second: a one-batch warm-up (rows 0..255), the warm-up and the
    // timed step (rows 0..2047 in order), then training: the same shuffled rows (the RNG untouched;
    // calls are grouped by timing, so compare them joined) from the same codebook.
    const order = Array.from({ length: 2048 }, (_, i) => i);
    expect(auto.jobs[0]!.rows).toEqual(order.slice(0, 256));
    expect(auto.jobs[1]!.rows).toEqual(order);
    expect(auto.jobs[2]!.rows).toEqual(order);
    expect(auto.jobs.slice(3).flatMap((j) => j.rows)).toEqual(named.jobs.flatMap((j) => j.rows));
    expect(auto.jobs[3]!.weights).toEqual(named.jobs[0]!.weights);
  });
});
