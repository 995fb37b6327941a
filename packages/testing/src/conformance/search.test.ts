// The search suite's optional parts: `searchAsync` (engines whose calls are async) and the
// `product` engine hook, checked on a correct fixture backend and on deliberately broken ones.
import * as tf from '@tensorflow/tfjs-core';
import { defineSearch, type SearchBackend } from '@somkit/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateBackend, describeBackends } from '../index.js';
import { brute, euclid } from '../plugins.fixture.js';
import { referenceHooks } from '../referenceHooks.js';
import { runSearchConformance, searchChecks } from './search.js';

/** The reference hooks on this suite's brute force (also what the broken variants start from). */
const ref = referenceHooks(brute());

/** A correct engine-like backend: async search, a matMul product and the reference hooks. */
const engine = defineSearch('test/engine', () => ({
  priority: 0,
  supports: () => true,
  search: brute().search,
  searchAsync: async (x, w, k, ctx) => brute().search(x, w, k, ctx),
  product: async (a, b) => tf.matMul(a, b) as tf.Tensor2D,
  minibatchStep: async (step, ctx) => ref.minibatchStep(step, ctx),
  minibatchSteps: async (job, ctx) => ref.minibatchSteps(job, ctx),
  neuronSums: async (job, ctx) => ref.neuronSums(job, ctx),
}));

describeBackends(['cpu', 'wasm'], () => {
  runSearchConformance(engine(), { distance: euclid(), title: 'search conformance with searchAsync, product, minibatchStep(s) and neuronSums: test/engine' });
});

describe('searchChecks: searchAsync and product', () => {
  const opts = { distance: euclid() };
  let previous: string;
  beforeAll(async () => {
    previous = tf.getBackend();
    expect(await activateBackend('cpu')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  const broken = (name: string, impl: Partial<SearchBackend>): SearchBackend =>
    defineSearch(name, () => ({ priority: 0, supports: () => true, search: brute().search, ...impl }))();

  it('registers the async and product tests only when the backend has them', () => {
    expect(typeof engine().searchAsync).toBe('function');
    expect(brute().searchAsync).toBeUndefined();
  });

  it('searchAsync: a wrong unit, a leak, a missing function', async () => {
    const secondBest = broken('bad/async-second', {
      searchAsync: async (x, w, k, ctx) => {
        const r = brute().search(x, w, k + 1, ctx);
        const out = tf.tidy(() => ({ indices: tf.slice(r.indices, [0, 1], [-1, k]) as tf.Tensor2D, distances: tf.slice(r.distances, [0, 1], [-1, k]) as tf.Tensor2D }));
        tf.dispose([r.indices, r.distances]);
        return out;
      },
    });
    // The sync search is fine; only the async one is wrong, and the message says which.
    await searchChecks.nearest(secondBest, opts);
    await expect(searchChecks.nearest(secondBest, opts, undefined, 'async')).rejects.toThrow(/search 'bad\/async-second' searchAsync \(k = 1\): row 0, rank 0: returned unit/);

    const leaked: tf.Tensor[] = [];
    const leaky = broken('bad/async-leak', {
      searchAsync: async (x, w, k, ctx) => {
        leaked.push(tf.zeros([1]));
        return brute().search(x, w, k, ctx);
      },
    });
    await expect(searchChecks.noLeaksAsync(leaky, opts)).rejects.toThrow(/searchAsync\(k = 1\) must leave exactly its two result tensors behind, left 3/);
    tf.dispose(leaked);

    await expect(searchChecks.topK(brute(), opts, 3, undefined, 'async')).rejects.toThrow(/search 'test\/brute': has no searchAsync\(\) function/);
  });

  it('product: wrong values, wrong shape, a leak, an input disposed', async () => {
    const off = broken('bad/product-off', { product: async (a, b) => tf.tidy(() => tf.mul(tf.matMul(a, b), 1.01) as tf.Tensor2D) });
    await expect(searchChecks.product(off, opts)).rejects.toThrow(/search 'bad\/product-off' product: \[24, 40\]×\[40, 4\]: element \[0, 0\] is .*, tf\.matMul gives/);

    const transposed = broken('bad/product-shape', { product: async (a, b) => tf.tidy(() => tf.transpose(tf.matMul(a, b)) as tf.Tensor2D) });
    await expect(searchChecks.product(transposed, opts)).rejects.toThrow(/expected shape \[24, 4\], got \[4, 24\]/);

    const leaked: tf.Tensor[] = [];
    const leaky = broken('bad/product-leak', {
      product: async (a, b) => {
        leaked.push(tf.zeros([2]));
        return tf.matMul(a, b) as tf.Tensor2D;
      },
    });
    await expect(searchChecks.product(leaky, opts)).rejects.toThrow(/product\(\) must leave exactly its result tensor behind, left 2/);
    tf.dispose(leaked);

    const disposer = broken('bad/product-disposer', {
      product: async (a, b) => {
        const r = tf.matMul(a, b) as tf.Tensor2D;
        b.dispose();
        return r;
      },
    });
    await expect(searchChecks.product(disposer, opts)).rejects.toThrow(/bad\/product-disposer/);
  });

  it('minibatchStep: a wrong update, a wrong unit, a modified input, a short result', async () => {
    const good = engine();
    await searchChecks.minibatchStep(good, opts);
    // Forgets the (1 − m) shrink of the old weights.
    const noShrink = broken('bad/step-update', { minibatchStep: async (step, ctx) => referenceHooks(brute(), { update: (w, _m, num) => tf.add(w, num) }).minibatchStep(step, ctx) });
    await expect(searchChecks.minibatchStep(noShrink, opts)).rejects.toThrow(/search 'bad\/step-update' minibatchStep: \(rows 0\.\.39, k = 1\): new weight \[\d+, \d+\] is .*, the reference step gives/);
    const second = broken('bad/step-unit', {
      minibatchStep: async (step, ctx) => {
        const r = ref.minibatchStep(step, ctx);
        if (step.k === 2) r.indices.set([r.indices[1]!, r.indices[0]!], 0);
        return r;
      },
    });
    await expect(searchChecks.minibatchStep(second, opts)).rejects.toThrow(/\(rows 0\.\.39, k = 2\): sample 0, rank 0: returned unit/);
    const scribbler = broken('bad/step-scribbler', {
      minibatchStep: async (step, ctx) => {
        const r = ref.minibatchStep(step, ctx);
        step.kernel[0] = 7;
        return r;
      },
    });
    await expect(searchChecks.minibatchStep(scribbler, opts)).rejects.toThrow(/modified its input kernel/);
    const short = broken('bad/step-short', {
      minibatchStep: async (step, ctx) => ({ ...ref.minibatchStep(step, ctx), weights: new Float32Array(3) }),
    });
    await expect(searchChecks.minibatchStep(short, opts)).rejects.toThrow(/expected weights as a Float32Array of 96 values/);
    await expect(searchChecks.minibatchStep(brute(), opts)).rejects.toThrow(/search 'test\/brute': has no minibatchStep\(\) function/);
  });

  it('minibatchSteps: rows taken in the wrong order, only one step applied, a modified input, a short result', async () => {
    await searchChecks.minibatchSteps(engine(), opts);
    // Takes x's rows in storage order instead of `rows`.
    const inOrder = broken('bad/steps-order', { minibatchSteps: async (job, ctx) => ref.minibatchSteps({ ...job, rows: Int32Array.from(job.rows, (_, i) => i) }, ctx) });
    await expect(searchChecks.minibatchSteps(inOrder, opts)).rejects.toThrow(/search 'bad\/steps-order' minibatchSteps: \(5 steps of 8, k = 1\): step 0, sample \d+, rank 0: returned unit/);
    // Applies the first step only (but reports every step's units).
    const once = broken('bad/steps-once', {
      minibatchSteps: async (job, ctx) => ({ ...ref.minibatchSteps(job, ctx), weights: ref.minibatchSteps({ ...job, steps: 1, rows: job.rows.subarray(0, job.batch) }, ctx).weights }),
    });
    await expect(searchChecks.minibatchSteps(once, opts)).rejects.toThrow(/\(5 steps of 8, k = 1\): final weight \[\d+, \d+\] is .*, the reference steps give/);
    const scribbler = broken('bad/steps-scribbler', {
      minibatchSteps: async (job, ctx) => {
        const r = ref.minibatchSteps(job, ctx);
        (job.rows as Int32Array)[0] = 0;
        return r;
      },
    });
    await expect(searchChecks.minibatchSteps(scribbler, opts)).rejects.toThrow(/modified its input rows/);
    const short = broken('bad/steps-short', { minibatchSteps: async (job, ctx) => ({ ...ref.minibatchSteps(job, ctx), indices: new Int32Array(job.batch * job.k) }) });
    await expect(searchChecks.minibatchSteps(short, opts)).rejects.toThrow(/\(5 steps of 8, k = 1\): expected indices as an Int32Array of 40 values/);
    await expect(searchChecks.minibatchSteps(brute(), opts)).rejects.toThrow(/search 'test\/brute': has no minibatchSteps\(\) function/);
  });

  it('neuronSums: counts left out, a wrong unit, a modified input', async () => {
    await searchChecks.neuronSums(engine(), opts);
    const noCounts = broken('bad/sums-counts', {
      neuronSums: async (job, ctx) => {
        const r = ref.neuronSums(job, ctx);
        for (let c = 0; c < job.units; c++) r.sums[c * (job.dims + 1) + job.dims] = 0;
        return r;
      },
    });
    await expect(searchChecks.neuronSums(noCounts, opts)).rejects.toThrow(/search 'bad\/sums-counts' neuronSums: \(rows 0\.\.39, k = 1\): sums\[\d+, 4\] is 0, the reference gives [1-9]/);
    const second = broken('bad/sums-unit', {
      neuronSums: async (job, ctx) => {
        const r = ref.neuronSums(job, ctx);
        if (job.k === 2) r.indices.set([r.indices[1]!, r.indices[0]!], 0);
        return r;
      },
    });
    await expect(searchChecks.neuronSums(second, opts)).rejects.toThrow(/\(rows 0\.\.39, k = 2\): sample 0, rank 0: returned unit/);
    const scribbler = broken('bad/sums-scribbler', {
      neuronSums: async (job, ctx) => {
        const r = ref.neuronSums(job, ctx);
        job.weights[0] = 7;
        return r;
      },
    });
    await expect(searchChecks.neuronSums(scribbler, opts)).rejects.toThrow(/modified its input weights/);
  });

  it('metadata: searchAsync and product must be functions when present', () => {
    const odd = { ...brute(), name: 'bad/odd', product: 3 } as unknown as SearchBackend;
    expect(() => searchChecks.metadata(Object.freeze(odd))).toThrow(/product must be a function when present/);
    searchChecks.metadata(engine());
  });
});
