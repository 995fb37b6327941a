// Conformance on every backend, exactness against a brute force, supports() reasons, use as an
// object, and a saved model without registration. Never imports './register.js'.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { describeBackends, runSearchConformance } from '@somkit/testing';
import { logger, registry, type SearchContext } from '@somkit/plugin-api';
import { chebyshev, cosine, euclidean, manhattan } from '@somkit/kernels';
import { SOM } from '@somkit/core';
import { laesaKnn, METRICS, sampledPivots, samplePivots } from './index.js';
import { clusters } from './clusters.fixture.js';

const reference = (name: string) => (a: readonly number[], b: readonly number[]): number => METRICS[name]!(a, 0, b, 0, a.length);

describeBackends(['cpu', 'wasm'], () => {
  for (const distance of [euclidean(), manhattan(), chebyshev()]) {
    runSearchConformance(sampledPivots(), { distance });
    runSearchConformance(sampledPivots({ pivots: 1, seed: 7 }), { distance, title: `search conformance: sampled-pivots, 1 pivot, ${distance.name}` });
    runSearchConformance(sampledPivots({ pivots: 3 }), { distance, reference: reference(distance.name), title: `search conformance: sampled-pivots, ${distance.name}, plain-JS reference` });
  }

  it('searchAsync returns what search returns', async () => {
    const x = tf.tensor2d(clusters(30, 4, 5));
    const w = tf.tensor2d(clusters(20, 4, 20, 9));
    const ctx: SearchContext = { backend: tf.getBackend(), distance: euclidean(), units: 20, dims: 4 };
    const b = sampledPivots();
    const a = b.search(x, w, 3, ctx);
    const s = await b.searchAsync!(x, w, 3, ctx);
    expect([...(await s.indices.data())]).toEqual([...(await a.indices.data())]);
    expect([...(await s.distances.data())]).toEqual([...(await a.distances.data())]);
    tf.dispose([x, w, a.indices, a.distances, s.indices, s.distances]);
  });

  it('declares exact: true (the conformance suite then checks ties go to the lower unit)', () => {
    expect(sampledPivots().exact).toBe(true);
  });

  it('refuses, with a reason, distances it cannot prune with and maps larger than maxUnits', () => {
    const ctx = (distance = euclidean(), units = 16): SearchContext => ({ backend: tf.getBackend(), distance, units, dims: 4 });
    expect(sampledPivots().supports(ctx())).toBe(true);
    expect(sampledPivots().supports(ctx(cosine()))).toMatch(/metric.*got distance 'cosine'/);
    expect(sampledPivots({ maxUnits: 10 }).supports(ctx())).toMatch(/16 units, more than maxUnits = 10/);
    expect(sampledPivots().supports({ ...ctx(), backend: 'webgl' })).toMatch(/cpu and wasm.*'webgl'/);
  });

  it('as an object in new SOM({ search }), it is the backend that runs', async () => {
    const before = tf.memory().numTensors;
    const data = clusters(120, 4, 6);
    const som = new SOM({ rows: 5, cols: 5, dims: 4, epochs: 3, search: sampledPivots({ pivots: 4 }) });
    await som.fit(data);
    expect(som.searchName).toBe('somkit-search-sampled/sampled-pivots');
    expect(som.toJSON().config.search).toEqual({ name: 'somkit-search-sampled/sampled-pivots', options: { pivots: 4 } });
    som.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('without registration, a saved model naming it loads with search: auto and a warning naming the package to import', async () => {
    expect(registry.has('search', 'somkit-search-sampled/sampled-pivots')).toBe(false);
    const data = clusters(30, 4, 3);
    const som = new SOM({ rows: 3, cols: 3, dims: 4, epochs: 1, search: sampledPivots() });
    await som.fit(data);
    const json = JSON.stringify(som.toJSON());
    const bmus = [...(await som.identifyBmus(data))];
    som.dispose();
    // The search backend does not change the model, so core loads it with 'auto' and says why.
    const warnings: string[] = [];
    logger.setSink((_level, message) => warnings.push(message));
    try {
      const back = await SOM.fromJSON(json);
      expect(back.config.search).toBe('auto');
      expect([...(await back.identifyBmus(data))]).toEqual(bmus);
      back.dispose();
      // Passing the plugin keeps it.
      const kept = await SOM.fromJSON(json, { plugins: [sampledPivots] });
      expect(kept.config.search).toEqual({ name: 'somkit-search-sampled/sampled-pivots' });
      kept.dispose();
    } finally {
      logger.setSink(undefined);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("Unknown search 'somkit-search-sampled/sampled-pivots'");
    expect(warnings[0]).toContain("import 'somkit-search-sampled/register'");
  });
});

describe('laesaKnn', () => {
  const bruteKnn = (x: number[][], w: number[][], k: number, metric: string): number[][] =>
    x.map((a) => w.map((b, j) => [METRICS[metric]!(a, 0, b, 0, a.length), j] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]).slice(0, k).map((p) => p[1]));

  for (const metric of Object.keys(METRICS)) {
    it(`${metric}: same units as a plain brute force on random data, k = 1 and 5, any pivot count`, () => {
      const x = clusters(150, 6, 150, 11); // 150 distinct random points: no structure to exploit
      const w = clusters(40, 6, 40, 12);
      for (const p of [1, 4, 40]) {
        for (const k of [1, 5]) {
          const r = laesaKnn(x.flat(), x.length, w.flat(), w.length, 6, k, METRICS[metric]!, samplePivots(40, p, 5));
          const want = bruteKnn(x, w, k, metric);
          const got = x.map((_, i) => [...r.indices.slice(i * k, (i + 1) * k)]);
          expect(got).toEqual(want);
        }
      }
    });
  }

  it('prunes on clustered data: far fewer distance evaluations than n·u', () => {
    const w = clusters(256, 4, 8, 21); // 8 tight groups of units
    const x = clusters(200, 4, 8, 21);
    const r = laesaKnn(x.flat(), 200, w.flat(), 256, 4, 1, METRICS.euclidean!, samplePivots(256, 8, 1));
    expect(r.evaluations).toBeLessThan(0.5 * 200 * 256);
  });

  it('samplePivots is seeded and draws distinct units', () => {
    const a = samplePivots(50, 10, 3);
    expect(new Set(a).size).toBe(10);
    expect([...samplePivots(50, 10, 3)]).toEqual([...a]);
    expect([...samplePivots(50, 10, 4)]).not.toEqual([...a]);
  });
});
