// The search suite's optional parts — `searchAsync` and the tie rule of strategies declaring
// `exact: true` — checked on correct fixture strategies and on deliberately broken ones. (The old
// v1 engine-hook checks moved to the engine suite: see engine.test.ts.)
import * as tf from '@tensorflow/tfjs-core';
import { defineSearch, type SearchStrategy } from '@somkit/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateBackend, describeBackends } from '../index.js';
import { brute, euclid } from '../plugins.fixture.js';
import { runSearchConformance, searchChecks } from './search.js';

/** A correct exact strategy with an asynchronous form. */
const asyncStrategy = defineSearch('test/async', () => ({
  priority: 0,
  exact: true,
  supports: () => true,
  search: brute().search,
  searchAsync: async (x, w, k, ctx) => brute().search(x, w, k, ctx),
}));

describeBackends(['cpu', 'wasm'], () => {
  runSearchConformance(asyncStrategy(), { distance: euclid(), title: 'search conformance with searchAsync and exact: test/async' });
});

describe('searchChecks: searchAsync, exact ties and metadata', () => {
  const opts = { distance: euclid() };
  let previous: string;
  beforeAll(async () => {
    previous = tf.getBackend();
    expect(await activateBackend('cpu')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  const broken = (name: string, impl: Partial<SearchStrategy>): SearchStrategy =>
    defineSearch(name, () => ({ priority: 0, supports: () => true, search: brute().search, ...impl }))();

  it('registers the async tests only when the strategy has them', () => {
    expect(typeof asyncStrategy().searchAsync).toBe('function');
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

  it('exact ties: the brute force (ties to the lower unit) passes, sync and async; ties to the higher unit fail', async () => {
    await searchChecks.exactTies(asyncStrategy(), opts);
    await searchChecks.exactTies(asyncStrategy(), opts, undefined, 'async');
    // Searches the codebook upside down and maps the units back: exact, but equal units come higher first.
    const higherFirst = broken('bad/ties-high', {
      exact: true,
      search: (x, w, k, ctx) => {
        const u = w.shape[0];
        const flipped = tf.reverse(w, 0);
        const r = brute().search(x, flipped, k, ctx);
        const indices = tf.tidy(() => tf.sub(tf.scalar(u - 1, 'int32'), r.indices) as tf.Tensor2D);
        tf.dispose([flipped, r.indices]);
        return { indices, distances: r.distances };
      },
    });
    await searchChecks.nearest(higherFirst, opts);
    await expect(searchChecks.exactTies(higherFirst, opts)).rejects.toThrow(/search 'bad\/ties-high' search, exact ties: \(k = 1\) row 0: returned units \[\d+\], expected \[\d+\] \(units \d+ and \d+ are equal, so the tie goes to the lower index first\)/);
  });

  it('metadata: searchAsync must be a function when present, exact a boolean', () => {
    const odd = { ...brute(), name: 'bad/odd', searchAsync: 3 } as unknown as SearchStrategy;
    expect(() => searchChecks.metadata(Object.freeze(odd))).toThrow(/searchAsync must be a function when present/);
    const vague = { ...brute(), name: 'bad/vague', exact: 'yes' } as unknown as SearchStrategy;
    expect(() => searchChecks.metadata(Object.freeze(vague))).toThrow(/exact must be a boolean when present, got "yes"/);
    searchChecks.metadata(asyncStrategy());
  });
});
