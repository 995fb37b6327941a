// Core-level parity: training with the ONNX Runtime engine gives the same map as the tfjs path.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SOM, type SomOptions } from '@somkit/core';
import { describeBackends } from '@somkit/testing';
import { onnxEngine } from './index.js';

/** Well-separated data: `centers` blobs 10 apart (std 0.3) in d dimensions. */
function blobs(n: number, d: number, centers: number, seed = 5): number[][] {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const c = Array.from({ length: centers }, (_, k) => Array.from({ length: d }, (_, j) => (j === k % d ? 10 * (1 + Math.floor(k / d)) : 0)));
  return Array.from({ length: n }, (_, i) => c[i % centers]!.map((v) => v + 0.3 * (next() + next() + next() - 1.5)));
}

describeBackends(['cpu', 'wasm'], () => {
  let before = 0;
  beforeEach(() => (before = tf.memory().numTensors));
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  const grids = [
    { rule: 'minibatch', topology: 'rectangular', pbc: false },
    { rule: 'batch-map', topology: 'rectangular', pbc: false },
    // The engine's kernel table comes from the distinct grid distances: a toroidal hexagonal grid
    // has the most irregular ones.
    { rule: 'minibatch', topology: 'hexagonal', pbc: true },
  ] as const;
  for (const { rule, topology, pbc } of grids) {
    it(`${rule}, ${pbc ? 'toroidal ' : ''}${topology}: search: onnxEngine() gives the same BMUs and a final QE within 1e-4 relative of the tfjs path`, async () => {
      const data = blobs(240, 5, 6);
      const base: SomOptions = { rows: 4, cols: 5, dims: 5, epochs: 4, batchSize: 32, rule, topology, pbc, sigma: 1.5, learningRate: 0.5, seed: 11 };
      const ref = new SOM({ ...base, search: 'brute-force' });
      const eng = new SOM({ ...base, search: onnxEngine() });
      try {
        const hRef = await ref.fit(data);
        const hEng = await eng.fit(data);
        expect(eng.searchName).toBe('onnxruntime');
        expect(ref.searchName).toBe('brute-force');
        expect([...(await eng.identifyBmus(data))]).toEqual([...(await ref.identifyBmus(data))]);
        const [qRef, qEng] = [await ref.quantizationError(data), await eng.quantizationError(data)];
        expect(Math.abs(qEng - qRef) / qRef).toBeLessThan(1e-4);
        // Per-epoch QE from the training pass agrees too, more loosely: after a random init from
        // data rows many samples sit almost on their unit, where ‖x‖² − 2x·w + ‖w‖² cancels and the
        // two summation orders differ by ~√(ε‖x‖²) per sample.
        hEng.qe.forEach((q, e) => expect(Math.abs(q - hRef.qe[e]!) / hRef.qe[e]!).toBeLessThan(1e-3));
        const [wr, we] = [ref.getWeights(), eng.getWeights()];
        let worst = 0;
        for (let i = 0; i < wr.length; i++) worst = Math.max(worst, Math.abs(wr[i]! - we[i]!));
        expect(worst).toBeLessThan(1e-3);
      } finally {
        ref.dispose();
        eng.dispose();
      }
    });
  }
});
