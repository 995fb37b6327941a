import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { isSomError } from '@somkit/plugin-api';
import { SOM } from './SOM.js';
import { mergeSums } from './train/NeuronSums.js';
import { Rng } from '@somkit/geometry';

function data(n: number, d: number, seed: number): number[][] {
  const r = new Rng(seed);
  return Array.from({ length: n }, (_, i) => Array.from({ length: d }, () => r.normal() + (i % 3) * 4));
}

for (const backend of ['cpu', 'wasm']) {
  describe(`streaming batch-map on ${backend}`, () => {
    let before = 0;
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });
    beforeEach(() => (before = tf.memory().numTensors));
    afterEach(() => expect(tf.memory().numTensors).toBe(before));

    it('fitStream over chunks gives the same codebook as fit over the whole data', async () => {
      const x = data(300, 4, 1);
      const init = data(30, 4, 2);
      const opts = { rows: 5, cols: 6, dims: 4, rule: 'batch-map' as const, epochs: 4, sigma: 2, topology: 'hexagonal' as const };
      const whole = new SOM(opts);
      const stream = new SOM(opts);
      await whole.setWeights(init);
      await stream.setWeights(init);
      const h1 = await whole.fit(x);
      const chunks = [x.slice(0, 70), x.slice(70, 200), x.slice(200)];
      const h2 = await stream.fitStream(async function* () {
        for (const c of chunks) yield c;
      });
      const a = whole.getWeights();
      const b = stream.getWeights();
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
      for (let e = 0; e < 4; e++) {
        expect(h2.qe[e]).toBeCloseTo(h1.qe[e]!, 4);
        expect(h2.te[e]).toBeCloseTo(h1.te[e]!, 6);
      }
      whole.dispose();
      stream.dispose();
    });

    it('accumulate + mergeSums + applySums: shard order does not matter', async () => {
      const x = data(200, 3, 3);
      const init = data(20, 3, 4);
      const a = new SOM({ rows: 4, cols: 5, dims: 3, rule: 'batch-map', sigma: 1.5 });
      const b = new SOM({ rows: 4, cols: 5, dims: 3, rule: 'batch-map', sigma: 1.5 });
      await a.setWeights(init);
      await b.setWeights(init);
      const shards = [x.slice(0, 50), x.slice(50, 120), x.slice(120)];
      const sa = await Promise.all(shards.map((s) => a.accumulate(s)));
      const sb = await Promise.all([...shards].reverse().map((s) => b.accumulate(s)));
      const la = await a.applySums(mergeSums(sa), 0, 3);
      await b.applySums(mergeSums(sb), 0, 3);
      expect([...b.getWeights()].map((v) => v.toFixed(4))).toEqual([...a.getWeights()].map((v) => v.toFixed(4)));
      expect(la.qe).toBeGreaterThan(0);
      expect(a.history.qe).toHaveLength(1);
      a.dispose();
      b.dispose();
    });

    it('refuses the minibatch rule, empty sources and mismatched sums', async () => {
      const mb = new SOM({ rows: 2, cols: 2, dims: 2, rule: 'minibatch' });
      await expect(mb.fitStream(() => [[[1, 2]]])).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_CONFIG'));
      mb.dispose();
      const bm = new SOM({ rows: 2, cols: 2, dims: 2, rule: 'batch-map' });
      await expect(bm.fitStream(() => [])).rejects.toSatisfy((e) => isSomError(e, 'ERR_EMPTY_INPUT'));
      await bm.setWeights([[0, 0], [1, 1], [2, 2], [3, 3]]);
      await expect(bm.applySums({ sums: new Float32Array(3), qeSum: 0, teCount: 0, n: 1, units: 4, dims: 2 }, 0, 1)).rejects.toSatisfy((e) => isSomError(e, 'ERR_SHAPE_MISMATCH'));
      bm.dispose();
    });
  });
}
