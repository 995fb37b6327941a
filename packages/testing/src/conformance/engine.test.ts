// The engine suite on a correct engine (the plain-JS reference kernels), on an engine with no
// kernels, and on deliberately broken engines: each check must catch what it is there for. The
// minibatch, neuron-sums and product cases moved here from the v1 search-hook tests.
import * as tf from '@tensorflow/tfjs-core';
import { defineEngine, type Engine, type EngineKernels, type EngineSession, type MinibatchStepsJob, type NeighborhoodTable, type NeuronSumsJob } from '@somkit/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateBackend, describeBackends, gridTable } from '../index.js';
import { tableWeight } from '../kernelMath.js';
import { manhattan, referenceEngine } from '../plugins.fixture.js';
import { referenceKernels } from '../referenceKernels.js';
import { engineChecks, runEngineConformance } from './engine.js';

const ref = referenceKernels();

/** An engine whose sessions have `kernels` (and `close`). */
function engineWith(name: string, kernels: EngineKernels, close: () => void = () => undefined): Engine {
  return defineEngine(name, () => ({ priority: 0, supports: () => true, open: (): EngineSession => ({ kernels, close }) }))();
}

const empty = defineEngine('test/no-kernels', () => ({ priority: -1, supports: () => true, open: () => ({ kernels: {}, close() {} }) }));

const manhattanJs = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0);
const manhattanEngine = defineEngine('test/reference-manhattan', () => ({
  priority: 0,
  supports: () => true,
  open: () => ({ kernels: referenceKernels({ distance: manhattanJs }), close() {} }),
}));

describeBackends(['cpu', 'wasm'], () => {
  runEngineConformance(referenceEngine());
  runEngineConformance(referenceEngine(), { rows: 3, cols: 5, dims: 3, n: 20, seed: 3, title: 'engine conformance: reference kernels on a 3 × 5 grid (no hexagonal torus), d = 3, n = 20' });
  runEngineConformance(manhattanEngine(), { distance: manhattan(), reference: manhattanJs, title: 'engine conformance: reference kernels under manhattan, plain-JS reference' });
  runEngineConformance(empty(), { title: 'engine conformance: an engine with no kernels (kernel tests skipped)' });
});

/** Without `given` (a job with its search results left out). */
function withoutGiven<J extends { given?: unknown }>(job: J): Omit<J, 'given'> {
  const { given: _given, ...rest } = job;
  return rest;
}

describe('engineChecks catch broken engines', () => {
  let previous: string;
  beforeAll(async () => {
    previous = tf.getBackend();
    expect(await activateBackend('cpu')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it('metadata: kind, apiVersion 2, frozen, priority, JSON options, open', () => {
    engineChecks.metadata(referenceEngine());
    const good = referenceEngine();
    expect(() => engineChecks.metadata(Object.freeze({ ...good, kind: 'search' }) as unknown as Engine)).toThrow(/expected kind 'engine', got 'search'/);
    expect(() => engineChecks.metadata(Object.freeze({ ...good, apiVersion: 1 }) as Engine)).toThrow(/expected apiVersion 2, got 1/);
    expect(() => engineChecks.metadata({ ...good })).toThrow(/must be frozen/);
    expect(() => engineChecks.metadata(Object.freeze({ ...good, priority: Number.NaN }))).toThrow(/priority must be a finite number, got NaN/);
    expect(() => engineChecks.metadata(Object.freeze({ ...good, options: { at: new Date(0) } }) as Engine)).toThrow(/options must be JSON-serialisable/);
    expect(() => engineChecks.metadata(Object.freeze({ ...good, open: undefined }) as unknown as Engine)).toThrow(/has no open\(\) function/);
  });

  it('supports: true or a non-empty reason', () => {
    expect(engineChecks.supports(referenceEngine())).toBe(true);
    const refusing = defineEngine('test/refusing', () => ({ priority: 0, supports: () => 'needs a GPU', open: () => ({ kernels: {}, close() {} }) }))();
    expect(engineChecks.supports(refusing)).toBe('needs a GPU');
    for (const [name, answer] of [['bad/empty-reason', ''], ['bad/number', 42]] as const) {
      const odd = defineEngine(name, () => ({ priority: 0, supports: () => answer as unknown as string, open: () => ({ kernels: {}, close() {} }) }))();
      expect(() => engineChecks.supports(odd)).toThrow(/supports\(\) must return true or a non-empty reason string/);
    }
  });

  it('session: no session object, an unknown kernel name, a kernel that is not a function, close() not idempotent, tensors kept after close()', async () => {
    await engineChecks.session(referenceEngine());
    await engineChecks.session(empty());
    const none = defineEngine('bad/no-session', () => ({ priority: 0, supports: () => true, open: () => null as unknown as EngineSession }))();
    await expect(engineChecks.session(none)).rejects.toThrow(/engine 'bad\/no-session': open\(ctx\) must return a session with a kernels object/);
    await expect(engineChecks.session(engineWith('bad/typo', { neuronSum: ref.neuronSums } as unknown as EngineKernels))).rejects.toThrow(/unknown kernel 'neuronSum'; kernel names are bmu, neuronSums, minibatchSteps, neighborhoodProduct/);
    await expect(engineChecks.session(engineWith('bad/not-fn', { bmu: 3 } as unknown as EngineKernels))).rejects.toThrow(/kernels\.bmu must be a function when present, got number/);
    const once = defineEngine('bad/close-once', () => ({
      priority: 0,
      supports: () => true,
      open: () => {
        let closed = false;
        return {
          kernels: {},
          close() {
            if (closed) throw new Error('already closed');
            closed = true;
          },
        };
      },
    }))();
    await expect(engineChecks.session(once)).rejects.toThrow(/close\(\) must be idempotent, but calling it again threw: already closed/);
    const kept: tf.Tensor[] = [];
    const keeper = defineEngine('bad/keeps-tensors', () => ({
      priority: 0,
      supports: () => true,
      open: () => {
        kept.push(tf.zeros([2]));
        return { kernels: {}, close() {} };
      },
    }))();
    await expect(engineChecks.session(keeper)).rejects.toThrow(/two sessions left 2 tensor\(s\) behind after close\(\)/);
    tf.dispose(kept);
  });

  it('a kernel the session lacks fails when checked directly (the suite skips it)', async () => {
    await expect(engineChecks.bmu(empty())).rejects.toThrow(/engine 'test\/no-kernels': the session has no bmu kernel/);
    await expect(engineChecks.determinism(empty(), 'neighborhoodProduct')).rejects.toThrow(/has no neighborhoodProduct kernel/);
  });

  it('bmu: a wrong unit, an input modified outside its view, a short result, a result sharing an input', async () => {
    await engineChecks.bmu(engineWith('test/bmu', { bmu: ref.bmu }));
    const second = engineWith('bad/bmu-unit', {
      bmu: async (job) => {
        const r = await ref.bmu(job);
        if (job.k === 2) for (let i = 0; i < job.samples; i++) [r.indices[2 * i], r.indices[2 * i + 1], r.distances[2 * i], r.distances[2 * i + 1]] = [r.indices[2 * i + 1]!, r.indices[2 * i]!, r.distances[2 * i + 1]!, r.distances[2 * i]!];
        return r;
      },
    });
    await expect(engineChecks.bmu(second)).rejects.toThrow(/engine 'bad\/bmu-unit' bmu: \(samples 0\.\.39, k = 2\): sample 0, rank 0: returned unit \d+ at distance .*, the float64 reference finds unit \d+ at/);
    const scribbler = engineWith('bad/bmu-scribbler', {
      bmu: async (job) => {
        const r = await ref.bmu(job);
        new Float32Array(job.x.buffer)[0] = 0;
        return r;
      },
    });
    await expect(engineChecks.bmu(scribbler)).rejects.toThrow(/\(samples 0\.\.39, k = 1\): modified its input x \(outside the view it was given\)/);
    const short = engineWith('bad/bmu-short', { bmu: async (job) => ({ ...(await ref.bmu(job)), distances: new Float32Array(3) }) });
    await expect(engineChecks.bmu(short)).rejects.toThrow(/\(samples 0\.\.39, k = 1\): expected distances as a Float32Array of 40 values, got Float32Array of 3 values/);
    const alias = engineWith('bad/bmu-alias', { bmu: async (job) => ({ ...(await ref.bmu(job)), distances: job.x.subarray(0, job.samples * job.k) }) });
    await expect(engineChecks.bmu(alias)).rejects.toThrow(/distances shares memory with the input x; results must be new arrays the caller owns/);
  });

  it('masked kernels: a search that treats NaN as a value, sums without counts, a step that moves unobserved dimensions', async () => {
    const masked = (name: string, kernels: EngineKernels): Engine =>
      defineEngine(name, () => ({ priority: 0, supports: () => true, open: (): EngineSession => ({ kernels, maskedKernels: Object.keys(kernels) as never, close() {} }) }))();
    await engineChecks.masked(masked('test/masked', { bmu: ref.bmu, neuronSums: ref.neuronSums, minibatchSteps: ref.minibatchSteps }));
    // Missing cells read as 0 (a plain search on zero-filled samples).
    const zeroFill = <J extends { x: Float32Array; missing?: boolean }>(job: J): J => ({ ...job, x: job.x.map((v) => (Number.isNaN(v) ? 0 : v)), missing: false });
    await expect(engineChecks.masked(masked('bad/masked-zero', { bmu: (job) => ref.bmu(zeroFill(job)) }))).rejects.toThrow(/engine 'bad\/masked-zero' masked kernels: bmu: sample \d+, rank \d: (returned unit|distance)/);
    await expect(engineChecks.masked(masked('bad/masked-no-counts', { neuronSums: async (job) => ({ ...(await ref.neuronSums(job)), counts: undefined as never }) }))).rejects.toThrow(/neuronSums: counts has no values, expected \[u, d\] = 120/);
    await expect(engineChecks.masked(masked('bad/masked-step', { minibatchSteps: (job) => ref.minibatchSteps(zeroFill(job)) }))).rejects.toThrow(/masked kernels: minibatchSteps: weights\[\d+, \d+\] is/);
  });

  it('neuronSums: counts left out, a wrong unit, a modified input, nondeterministic sums', async () => {
    const good = engineWith('test/sums', { neuronSums: ref.neuronSums });
    await engineChecks.neuronSums(good);
    await engineChecks.determinism(good, 'neuronSums');
    const noCounts = engineWith('bad/sums-counts', {
      neuronSums: async (job) => {
        const r = await ref.neuronSums(job);
        for (let c = 0; c < job.units; c++) r.sums[c * (job.dims + 1) + job.dims] = 0;
        return r;
      },
    });
    await expect(engineChecks.neuronSums(noCounts)).rejects.toThrow(/engine 'bad\/sums-counts' neuronSums: \(samples 0\.\.39, k = 1\): sums\[\d+, 5\] is 0, the float64 reference gives [1-9]/);
    const second = engineWith('bad/sums-unit', {
      neuronSums: async (job) => {
        const r = await ref.neuronSums(job);
        if (job.k === 2) r.indices.set([r.indices[1]!, r.indices[0]!], 0);
        return r;
      },
    });
    await expect(engineChecks.neuronSums(second)).rejects.toThrow(/\(samples 0\.\.39, k = 2\): sample 0, rank 0: returned unit/);
    const scribbler = engineWith('bad/sums-scribbler', {
      neuronSums: async (job) => {
        const r = await ref.neuronSums(job);
        job.weights[0] = 7;
        return r;
      },
    });
    await expect(engineChecks.neuronSums(scribbler)).rejects.toThrow(/modified its input weights \(element 0\)/);
    // Correct within every tolerance, but not the same bits twice.
    const noisy = engineWith('bad/sums-noisy', {
      neuronSums: async (job) => {
        const r = await ref.neuronSums(job);
        for (let i = 0; i < r.sums.length; i++) r.sums[i] = r.sums[i]! * (1 + 1e-5 * Math.random());
        return r;
      },
    });
    await engineChecks.neuronSums(noisy);
    await expect(engineChecks.determinism(noisy, 'neuronSums')).rejects.toThrow(/engine 'bad\/sums-noisy' neuronSums: the same job again gave different bits: sums\[\d+\] is .*; results must be deterministic for a given engine and thread count/);
  });

  it('neuronSums with given: ignoring given, returning given but summing by its own search', async () => {
    await engineChecks.neuronSumsGiven(engineWith('test/sums-given', { neuronSums: ref.neuronSums }));
    const ignoring = engineWith('bad/sums-ignores-given', { neuronSums: async (job) => ref.neuronSums(withoutGiven(job)) });
    await expect(engineChecks.neuronSumsGiven(ignoring)).rejects.toThrow(/engine 'bad\/sums-ignores-given' neuronSums with given: \(samples 0\.\.39, k = 1\): result \[0\] is unit \d+ at .*, but the given search result is unit \d+ at .*; with given, the kernel must use and return them instead of searching/);
    const ownSums = engineWith('bad/sums-own-search', {
      neuronSums: async (job: NeuronSumsJob) => ({ ...(await ref.neuronSums(withoutGiven(job))), indices: Int32Array.from(job.given!.indices), distances: Float32Array.from(job.given!.distances) }),
    });
    await expect(engineChecks.neuronSumsGiven(ownSums)).rejects.toThrow(/\(samples 0\.\.39, k = 1\): sums\[\d+, \d\] is .*, summed by the given BMUs the reference gives/);
  });

  it('minibatchSteps: rows taken in the wrong order, only one step applied, no shrink, a modified input, a short result', async () => {
    await engineChecks.minibatchSteps(engineWith('test/steps', { minibatchSteps: ref.minibatchSteps }));
    // Takes x's rows in storage order instead of `rows`.
    const inOrder = engineWith('bad/steps-order', { minibatchSteps: async (job) => ref.minibatchSteps({ ...job, rows: Int32Array.from(job.rows, (_, i) => i) }) });
    await expect(engineChecks.minibatchSteps(inOrder)).rejects.toThrow(/engine 'bad\/steps-order' minibatchSteps: \(5 steps of 8, rectangular, k = 1\): step 0: sample \d+, rank 0: returned unit/);
    // Applies the first step only (but reports every step's units).
    const once = engineWith('bad/steps-once', {
      minibatchSteps: async (job) => ({ ...(await ref.minibatchSteps(job)), weights: (await ref.minibatchSteps({ ...job, steps: 1, rows: job.rows.subarray(0, job.batch) })).weights }),
    });
    await expect(engineChecks.minibatchSteps(once)).rejects.toThrow(/\(5 steps of 8, rectangular, k = 1\): final weight \[\d+, \d+\] is .*, the float64 reference steps give/);
    // Forgets the (1 − Σ h) shrink of the old weights: W + Hᵀ X.
    const noShrink = engineWith('bad/steps-no-shrink', {
      minibatchSteps: async (job: MinibatchStepsJob) => {
        const r = await ref.minibatchSteps(job);
        const { units: u, dims: d, batch: b, k } = job;
        const w = Float64Array.from(job.weights);
        for (let i = 0; i < job.steps * b; i++) {
          const c = r.indices[i * k]!;
          const row = job.rows[i]!;
          for (let q = 0; q < u; q++) for (let t = 0; t < d; t++) w[q * d + t]! += tableWeight(job.kernel, c, q) * job.x[row * d + t]!;
        }
        return { ...r, weights: Float32Array.from(w) };
      },
    });
    await expect(engineChecks.minibatchSteps(noShrink)).rejects.toThrow(/engine 'bad\/steps-no-shrink' minibatchSteps: \(5 steps of 8, rectangular, k = 1\): (step \d+: sample \d+, rank 0: returned unit|final weight)/);
    const scribbler = engineWith('bad/steps-scribbler', {
      minibatchSteps: async (job) => {
        const r = await ref.minibatchSteps(job);
        (job.rows as Int32Array)[0] = -5;
        return r;
      },
    });
    await expect(engineChecks.minibatchSteps(scribbler)).rejects.toThrow(/modified its input rows \(element 0\)/);
    const tableScribbler = engineWith('bad/steps-table-scribbler', {
      minibatchSteps: async (job) => {
        const r = await ref.minibatchSteps(job);
        (job.kernel.values as Float32Array)[0] = 7;
        return r;
      },
    });
    await expect(engineChecks.minibatchSteps(tableScribbler)).rejects.toThrow(/modified its input kernel\.values \(element 0\)/);
    const short = engineWith('bad/steps-short', { minibatchSteps: async (job) => ({ ...(await ref.minibatchSteps(job)), indices: new Int32Array(job.batch * job.k) }) });
    await expect(engineChecks.minibatchSteps(short)).rejects.toThrow(/\(5 steps of 8, rectangular, k = 1\): expected indices \(\[steps · batch, k\]\) as an Int32Array of 40 values, got Int32Array of 8 values/);
    const shortWeights = engineWith('bad/steps-short-weights', { minibatchSteps: async (job) => ({ ...(await ref.minibatchSteps(job)), weights: new Float32Array(3) }) });
    await expect(engineChecks.minibatchSteps(shortWeights)).rejects.toThrow(/expected weights \(\[u, d\]\) as a Float32Array of 120 values/);
  });

  it('every table kind matters: a kernel that assumes the rectangular grid fails on the hexagonal one, one that ignores the wrap on the torus', async () => {
    // The suite's default grid is 4 × 6; these broken kernels rebuild the table they assume from it.
    const assumed = (job: { kernel: NeighborhoodTable }, topology: 'rectangular' | 'hexagonal'): NeighborhoodTable =>
      gridTable({ rows: 4, cols: 6, topology, pbc: false, sigma: 1.5, scale: tableWeight(job.kernel, 0, 0) });
    const rectangular = engineWith('bad/steps-rectangular-only', { minibatchSteps: async (job) => ref.minibatchSteps({ ...job, kernel: assumed(job, 'rectangular') }) });
    await expect(engineChecks.minibatchSteps(rectangular)).rejects.toThrow(/\(5 steps of 8, hexagonal, k = 1\): (step \d+: sample \d+, rank 0: returned unit|final weight)/);
    const noWrap = engineWith('bad/product-no-wrap', {
      neighborhoodProduct: async (job) => ref.neighborhoodProduct({ ...job, kernel: assumed(job, job.kernel.values.length > 77 ? 'hexagonal' : 'rectangular') }),
    });
    await expect(engineChecks.neighborhoodProduct(noWrap)).rejects.toThrow(/\(toroidal rectangular, \[u, 6\]\): element \[\d+, \d+\] is/);
  });

  it('minibatchSteps with given: ignoring given fails', async () => {
    await engineChecks.minibatchStepsGiven(engineWith('test/steps-given', { minibatchSteps: ref.minibatchSteps }));
    const ignoring = engineWith('bad/steps-ignores-given', { minibatchSteps: async (job) => ref.minibatchSteps(withoutGiven(job)) });
    await expect(engineChecks.minibatchStepsGiven(ignoring)).rejects.toThrow(/engine 'bad\/steps-ignores-given' minibatchSteps with given: \(1 step of 8, rectangular, k = 1\): result \[0\] is unit \d+ at .*, but the given search result is unit/);
  });

  it('minibatchSteps: one-step calls that differ from the fused call fail the split check', async () => {
    await engineChecks.minibatchStepsSplit(engineWith('test/steps-split', { minibatchSteps: ref.minibatchSteps }));
    const drift = engineWith('bad/steps-one-call-drift', {
      minibatchSteps: async (job) => {
        const r = await ref.minibatchSteps(job);
        return job.steps === 1 ? { ...r, weights: Float32Array.from(r.weights, (v) => v * 1.01) } : r;
      },
    });
    await expect(engineChecks.minibatchStepsSplit(drift)).rejects.toThrow(/engine 'bad\/steps-one-call-drift' minibatchSteps: \(5 steps of 8 in one call vs one call each, toroidal hexagonal, k = 2\)(: step \d+: sample \d+, rank \d: unit \d+ in one call, unit \d+ one call each|: final weight \[\d+, \d+\] in one call is .*, one call each gives)/);
  });

  it('neighborhoodProduct: wrong values, transposed, a short result, a modified table, a leak', async () => {
    await engineChecks.neighborhoodProduct(engineWith('test/product', { neighborhoodProduct: ref.neighborhoodProduct }));
    const off = engineWith('bad/product-off', { neighborhoodProduct: async (job) => Float32Array.from(await ref.neighborhoodProduct(job), (v) => v * 1.01) });
    await expect(engineChecks.neighborhoodProduct(off)).rejects.toThrow(/engine 'bad\/product-off' neighborhoodProduct: \(rectangular, \[u, 6\]\): element \[\d+, \d+\] is .*, the float64 reference gives/);
    const transposed = engineWith('bad/product-transposed', {
      neighborhoodProduct: async (job) => {
        const r = await ref.neighborhoodProduct(job);
        return Float32Array.from({ length: r.length }, (_, i) => r[(i % job.units) * job.columns + Math.floor(i / job.units)]!);
      },
    });
    await expect(engineChecks.neighborhoodProduct(transposed)).rejects.toThrow(/\(rectangular, \[u, 6\]\): element \[0, 1\] is/);
    const short = engineWith('bad/product-short', { neighborhoodProduct: async () => new Float32Array(3) });
    await expect(engineChecks.neighborhoodProduct(short)).rejects.toThrow(/expected the result \(\[u, c\]\) as a Float32Array of 144 values, got Float32Array of 3 values/);
    const scribbler = engineWith('bad/product-scribbler', {
      neighborhoodProduct: async (job) => {
        const r = await ref.neighborhoodProduct(job);
        (job.kernel.offset as Int32Array)[1] = 0;
        return r;
      },
    });
    await expect(engineChecks.neighborhoodProduct(scribbler)).rejects.toThrow(/modified its input kernel\.offset \(element 1\)/);
    const leaked: tf.Tensor[] = [];
    const leaky = engineWith('bad/product-leak', {
      neighborhoodProduct: async (job) => {
        leaked.push(tf.zeros([2]));
        return ref.neighborhoodProduct(job);
      },
    });
    await expect(engineChecks.neighborhoodProduct(leaky)).rejects.toThrow(/engine 'bad\/product-leak': the session left 8 tensor\(s\) behind after close\(\)/);
    await expect(engineChecks.determinism(leaky, 'neighborhoodProduct')).rejects.toThrow(/the same job a second time left 1 more tensor\(s\)/);
    tf.dispose(leaked);
  });

  it('determinism: two sessions that differ', async () => {
    let session = 0;
    const drifting = defineEngine('bad/per-session', () => ({
      priority: 0,
      supports: () => true,
      open: () => {
        const f = 1 + 1e-6 * ++session;
        return { kernels: { bmu: async (job) => { const r = await ref.bmu(job); return { ...r, distances: Float32Array.from(r.distances, (v) => v * f) }; } } satisfies EngineKernels, close() {} };
      },
    }))();
    await engineChecks.bmu(drifting);
    await expect(engineChecks.determinism(drifting, 'bmu')).rejects.toThrow(/bmu: the same job in a second session gave different bits: distances\[\d+\]/);
  });
});
