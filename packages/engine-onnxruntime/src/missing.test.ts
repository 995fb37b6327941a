// Missing values on the ONNX Runtime engine: `missing: 'mask'` on complete data trains exactly as
// without it; with missing cells the engine's masked search and batch-map sums (and core's masked
// reference for the minibatch step, which has no masked graph) give the tfjs engine's result.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SOM, type SomOptions } from '@somkit/core';
import { onnxEngine } from './index.js';

function data(n: number, d: number, seed = 7): Float32Array {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Float32Array.from({ length: n * d }, (_, k) => ((k % d) + (Math.floor(k / d) % 3)) * 2 + next());
}

describe("onnxruntime engine, missing: 'mask'", () => {
  let before = 0;
  beforeEach(async () => {
    await tf.setBackend('cpu');
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  const n = 200;
  const d = 4;
  const x = data(n, d);
  for (const rule of ['minibatch', 'batch-map'] as const) {
    const base: SomOptions = { rows: 4, cols: 4, dims: d, epochs: 3, batchSize: 25, rule, sigma: 1.5, seed: 3 };
    it(`${rule}: complete data gives the same bits with and without the option`, async () => {
      const a = new SOM({ ...base, engine: onnxEngine() });
      const b = new SOM({ ...base, engine: onnxEngine(), missing: 'mask' });
      try {
        await a.fit({ data: x, shape: [n, d] });
        await b.fit({ data: x, shape: [n, d] });
        expect(b.engineChoice?.name).toBe('onnxruntime');
        expect(Array.from(b.getWeights())).toEqual(Array.from(a.getWeights()));
        expect([...b.history.qe]).toEqual([...a.history.qe]);
      } finally {
        a.dispose();
        b.dispose();
      }
    });

    it(`${rule}: with missing cells the engine's run equals the tfjs engine's`, async () => {
      const xm = new Float32Array(x);
      for (let k = 3; k < xm.length; k += 7) xm[k] = Number.NaN;
      const a = new SOM({ ...base, engine: onnxEngine(), missing: 'mask' });
      const b = new SOM({ ...base, engine: 'tfjs', missing: 'mask' });
      try {
        await a.fit({ data: xm, shape: [n, d] });
        await b.fit({ data: xm, shape: [n, d] });
        const [wa, wb] = [a.getWeights(), b.getWeights()];
        expect(wa.every(Number.isFinite)).toBe(true);
        for (let i = 0; i < wa.length; i++) expect(wa[i]).toBeCloseTo(wb[i]!, 4);
        // The masked search: same units, distances over observed cells rescaled to all of them.
        const [ta, tb] = [await a.topUnits({ data: xm, shape: [n, d] }, 2), await b.topUnits({ data: xm, shape: [n, d] }, 2)];
        expect(a.engineChoice?.name).toBe('onnxruntime');
        expect(Array.from(ta.indices)).toEqual(Array.from(tb.indices));
        for (let i = 0; i < ta.distances.length; i++) expect(ta.distances[i]).toBeCloseTo(tb.distances[i]!, 3);
      } finally {
        a.dispose();
        b.dispose();
      }
    });
  }
});
