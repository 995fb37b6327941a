import * as tf from '@tensorflow/tfjs-core';
import { defineDistance, defineNeighborhood, defineSchedule, defineSearch } from '@somkit/plugin-api';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  activateBackend,
  backendStatus,
  describeBackends,
  distanceChecks,
  expectClose,
  expectNoLeaks,
  neighborhoodChecks,
  scheduleChecks,
  searchChecks,
  withLeakCheck,
} from './index.js';
import { brute, euclid, gaussian, manhattan } from './plugins.fixture.js';

beforeAll(async () => {
  expect(await activateBackend('cpu')).toBe(true);
});

describe('expectClose', () => {
  it('passes within tolerance (abs and rel, scalar broadcast, nested arrays, NaN = NaN)', () => {
    expectClose([1, 2, 3], [1 + 1e-7, 2, 3 - 1e-7]);
    expectClose(new Float32Array([100, 200]), [100.01, 200.02], 1e-3, 'rel');
    expectClose([[0.5, 0.5], [0.5, NaN]], [[0.5, 0.5], [0.5, NaN]]);
    expectClose([2, 2, 2], 2);
    expectClose(1.5, 1.5000001);
  });

  it('names the worst element, the count and the first mismatches', () => {
    expect(() => expectClose([0, 1, 2, 3.5, 4, 5.1], [0, 1, 2, 3, 4, 5], 1e-3)).toThrow(
      /expectClose: 2 of 6 elements differ by more than 0\.001 \(abs\)\.\n {2}worst at \[3\]: actual 3\.5, expected 3 \(\|diff\| 0\.5\)\n {2}first mismatches \(actual vs expected\): \[3\] 3\.5 vs 3; \[5\] 5\.1 vs 5/,
    );
  });

  it('reports length mismatches, NaN against a number, and rel against 0', () => {
    expect(() => expectClose([1, 2], [1, 2, 3])).toThrow(/expected 3 elements, got 2/);
    expect(() => expectClose([NaN], [1])).toThrow(/worst at \[0\]: actual NaN, expected 1/);
    expect(() => expectClose([1e-9], [0], 1e-3, 'rel', 'tiny')).toThrow(/expectClose \(tiny\): 1 of 1 .*\(rel\)/);
  });
});

describe('expectNoLeaks / withLeakCheck', () => {
  it('passes for code that cleans up and returns its value', async () => {
    const v = await expectNoLeaks(async () => {
      const t = tf.tensor1d([1, 2, 3]);
      const sum = tf.sum(t);
      const s = (await sum.data())[0];
      tf.dispose([t, sum]);
      return s;
    });
    expect(v).toBe(6);
  });

  it('catches a deliberate leak and names the leaked tensor', async () => {
    let leaked: tf.Tensor | undefined;
    await expect(
      expectNoLeaks(() => {
        leaked = tf.tidy(() => tf.zeros([3, 4], 'int32'));
      }),
    ).rejects.toThrow(/expectNoLeaks: 1 tensor leaked \(tf\.memory\(\)\.numTensors (\d+) → \d+, .*bytes \+48\)\.\n {2}created inside and still alive: int32\[3,4\] #\d+/);
    leaked?.dispose();
  });

  it('catches a function that disposes a tensor it does not own', async () => {
    const input = tf.scalar(1);
    await expect(expectNoLeaks(() => input.dispose(), 'disposer')).rejects.toThrow(/disposer: 1 tensor disposed that it did not create/);
  });

  it('restores tfjs after a throwing fn', async () => {
    const engine = tf.engine() as unknown as { trackTensor: unknown };
    const before = engine.trackTensor;
    await expect(expectNoLeaks(() => Promise.reject(new Error('inner')))).rejects.toThrow('inner');
    expect(engine.trackTensor).toBe(before);
  });

  it('withLeakCheck records the count and checks it later', () => {
    const leaks = withLeakCheck('step');
    expect(leaks.before).toBe(tf.memory().numTensors);
    const t = tf.ones([2]);
    expect(() => leaks.check()).toThrow(/step: 1 tensor leaked/);
    t.dispose();
    leaks.check();
  });
});

describe('backend availability', () => {
  afterEach(() => {
    delete (globalThis as { navigator?: unknown }).navigator;
  });

  it('tells synchronously why a backend cannot run here', () => {
    expect(backendStatus('cpu')).toEqual({ name: 'cpu', available: true });
    expect(backendStatus('wasm')).toEqual({ name: 'wasm', available: true });
    expect(backendStatus('tensorflow')).toEqual({
      name: 'tensorflow',
      available: false,
      reason: '@tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node are not installed',
    });
    expect(backendStatus('webgpu')).toMatchObject({ available: false, reason: expect.stringMatching(/navigator\.gpu is missing/) });
    expect(backendStatus('webgl')).toMatchObject({ available: false, reason: expect.stringMatching(/browser canvas/) });
    expect(backendStatus('quantum')).toMatchObject({ available: false, reason: expect.stringMatching(/no known package/) });
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: {} }, configurable: true });
    expect(backendStatus('webgpu')).toMatchObject({ available: false, reason: '@tensorflow/tfjs-backend-webgpu is not installed' });
  });

  it('activateBackend reports init failures with their message', async () => {
    tf.registerBackend('somkit-broken', () => Promise.reject(new Error('no adapter')));
    const quiet = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', true);
    try {
      expect(await activateBackend('somkit-broken')).toBe("initialisation of 'somkit-broken' failed: no adapter");
    } finally {
      tf.env().set('IS_TEST', quiet);
      tf.removeBackend('somkit-broken');
      await tf.setBackend('cpu');
    }
  });
});

// describeBackends with plain names: decided synchronously at collection time.
describeBackends(['wasm', 'tensorflow'], (backend) => {
  it('activates the backend for its block', () => expect(tf.getBackend()).toBe(backend));
});

describe('describeBackends', () => {
  it('names skipped blocks with the reason, and restores the previous backend after a block', ({ task }) => {
    const names = task.file.tasks.map((t) => t.name);
    expect(names).toContain('on wasm');
    expect(names).toContain('on tensorflow — skipped: @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node are not installed');
    const skipped = task.file.tasks.find((t) => t.name.startsWith('on tensorflow'));
    expect(skipped?.mode).toBe('skip');
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('conformance checks reject broken plugins', () => {
  // Broken plugins leave tensors behind when a check throws midway: sweep them per test.
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  it('distance: asymmetric, negative, leaky, input-disposing, wrong shape', async () => {
    const asym = defineDistance('bad/asym', () => ({ pairwise: (x, w) => tf.tidy(() => tf.relu(tf.sub(tf.sum(x, 1, true), tf.reshape(tf.sum(w, 1), [1, -1]))) as tf.Tensor2D) }))();
    expect(() => distanceChecks.symmetry(asym)).toThrow(/bad\/asym.*pairwise\(a, b\)ᵀ vs pairwise\(b, a\).*worst at/s);
    const negative = defineDistance('bad/neg', () => ({ pairwise: (x, w) => tf.tidy(() => tf.neg(manhattan().pairwise(x, w))) }))();
    expect(() => distanceChecks.nonNegative(negative)).toThrow(/bad\/neg.*< 0; distances must be non-negative/);
    const leaky = defineDistance('bad/leaky', () => ({ pairwise: (x, w) => (tf.add(x, 0), manhattan().pairwise(x, w)) }))();
    await expect(distanceChecks.noLeaks(leaky)).rejects.toThrow(/bad\/leaky.*left 2 tensors/);
    const disposer = defineDistance('bad/disposer', () => ({ pairwise: (x, w) => { const d = manhattan().pairwise(x, w); x.dispose(); return d; } }))();
    expect(() => distanceChecks.tidySafe(disposer)).toThrow(/disposed its input x/);
    const flat = defineDistance('bad/shape', () => ({ pairwise: (x, w) => tf.tidy(() => tf.reshape(manhattan().pairwise(x, w), [1, -1]) as tf.Tensor2D) }))();
    expect(() => distanceChecks.shape(flat)).toThrow(/must have shape \[6, 9\], got \[1, 54\]/);
    const unfrozen = { ...euclid(), kind: 'distance' as const };
    expect(() => distanceChecks.metadata(unfrozen)).toThrow(/must be frozen/);
  });

  it('distance: a prepare that disagrees with pairwise', () => {
    const off = defineDistance('bad/prepared', () => ({
      pairwise: (x, w) => euclid().pairwise(x, w),
      prepare: (w) => {
        const p = euclid().prepare!(w);
        return { ...p, toDistance: (s) => tf.tidy(() => tf.add(tf.sqrt(s), 0.5)) as typeof s };
      },
    }))();
    expect(() => distanceChecks.prepared(off)).toThrow(/toDistance\(score\(x\)\) vs pairwise\(x, w\)/);
  });

  it('neighborhood: a lying nonNegative flag either way, not 1 at 0, increasing near the centre', () => {
    const liar = defineNeighborhood('bad/liar', () => ({ nonNegative: true, weights: <T extends tf.Tensor>(d: T, s: number): T => tf.tidy(() => tf.sub(1, tf.div(d, 4 * s * s)) as T) }))();
    expect(() => neighborhoodChecks.nonNegativeFlag(liar)).toThrow(/declares nonNegative: true but weights\(d² = .*\) = -/);
    const modest = defineNeighborhood('bad/modest', () => ({ nonNegative: false, weights: gaussian().weights }))();
    expect(() => neighborhoodChecks.nonNegativeFlag(modest)).toThrow(/declares nonNegative: false but every weight/);
    const half = defineNeighborhood('bad/half', () => ({ nonNegative: true, weights: <T extends tf.Tensor>(d: T, s: number): T => tf.tidy(() => tf.mul(gaussian().weights(d, s), 0.5) as T) }))();
    expect(() => neighborhoodChecks.oneAtZero(half)).toThrow(/weights\(d² = 0, σ = 0\.5\) = 0\.5, expected 1/);
    const ring = defineNeighborhood('bad/ring', () => ({ nonNegative: true, weights: <T extends tf.Tensor>(d: T, s: number): T => tf.tidy(() => tf.minimum(1, tf.exp(tf.mul(tf.sub(d, s * s), 1))) as T) }))();
    expect(() => neighborhoodChecks.monotoneNearCentre(ring)).toThrow(/weights increase from d²/);
  });

  it('schedule: not starting at the initial value, non-finite, non-positive', () => {
    const warm = defineSchedule('bad/warmup', () => ({ value: (i, t, T) => (i * (t + 1)) / T }))();
    expect(() => scheduleChecks.startsAtInitial(warm)).toThrow(/value\(0\.5, 0, 2\) = 0\.25, expected 0\.5/);
    const nan = defineSchedule('bad/nan', () => ({ value: (i, t) => i / (t - 1) }))();
    expect(() => scheduleChecks.finite(nan)).toThrow(/value\(0\.5, 1, 2\) = Infinity/);
    const zero = defineSchedule('bad/zero', () => ({ value: (i, t, T) => i * (1 - (t + 1) / T) }))();
    expect(() => scheduleChecks.positive(zero)).toThrow(/value\(0\.5, 0, 1\) = 0; a positive initial value must stay positive/);
  });

  it('search: wrong unit, unsorted, float indices, a bad supports()', async () => {
    const opts = { distance: euclid() };
    const secondBest = defineSearch('bad/second', () => ({
      priority: 0,
      supports: () => true,
      search: (x, w, k, ctx) => {
        const r = brute().search(x, w, k + 1, ctx);
        const out = tf.tidy(() => ({ indices: tf.slice(r.indices, [0, 1], [-1, k]) as tf.Tensor2D, distances: tf.slice(r.distances, [0, 1], [-1, k]) as tf.Tensor2D }));
        tf.dispose([r.indices, r.distances]);
        return out;
      },
    }))();
    await expect(searchChecks.nearest(secondBest, opts)).rejects.toThrow(/row 0, rank 0: returned unit \d+ at true distance/);
    const descending = defineSearch('bad/desc', () => ({
      priority: 0,
      supports: () => true,
      search: (x, w, k, ctx) => {
        const r = brute().search(x, w, k, ctx);
        const out = tf.tidy(() => ({ indices: tf.reverse(r.indices, 1) as tf.Tensor2D, distances: tf.reverse(r.distances, 1) as tf.Tensor2D }));
        tf.dispose([r.indices, r.distances]);
        return out;
      },
    }))();
    await expect(searchChecks.topK(descending, opts, 3)).rejects.toThrow(/search 'bad\/desc' \(k = 3\)/);
    const floaty = defineSearch('bad/float', () => ({
      priority: 0,
      supports: () => true,
      search: (x, w, k, ctx) => {
        const r = brute().search(x, w, k, ctx);
        const indices = tf.cast(r.indices, 'float32') as tf.Tensor2D;
        r.indices.dispose();
        return { indices, distances: r.distances };
      },
    }))();
    await expect(searchChecks.topK(floaty, opts, 3)).rejects.toThrow(/expected int32 indices and float32 distances, got float32\/float32/);
    const mute = defineSearch('bad/mute', () => ({ priority: 0, supports: () => '' as unknown as true, search: brute().search }))();
    expect(() => searchChecks.supports(mute, opts)).toThrow(/must return true or a non-empty reason string/);
  });
});

it('leaves no tensors behind in this file', () => {
  expect(tf.memory().numTensors).toBe(0);
});
