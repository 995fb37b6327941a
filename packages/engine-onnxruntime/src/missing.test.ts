// Missing values on the ONNX Runtime engine: `missing: 'mask'` on complete data trains exactly as
// without it, and data with missing cells runs the sample kernels on core's masked reference
// (the engine has none), with the same result as the tfjs engine.
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

    it(`${rule}: with missing cells the engine's run equals the tfjs engine's (masked reference kernels)`, async () => {
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
      } finally {
        a.dispose();
        b.dispose();
      }
    });
  }
});
