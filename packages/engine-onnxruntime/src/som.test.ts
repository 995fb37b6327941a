// Core-level parity: training with the ONNX Runtime engine gives the same map as the tfjs reference kernels.
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

describeBackends(['cpu', 'wasm'], (backend) => {
  let before = 0;
  beforeEach(() => (before = tf.memory().numTensors));
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  const grids = [
    { rule: 'minibatch', topology: 'rectangular', pbc: false, how: 'option' },
    { rule: 'batch-map', topology: 'rectangular', pbc: false, how: 'fit' },
    // The kernel table comes from grid offsets: a toroidal hexagonal grid has the most irregular ones.
    { rule: 'minibatch', topology: 'hexagonal', pbc: true, how: 'fit' },
    { rule: 'batch-map', topology: 'hexagonal', pbc: true, how: 'option' },
  ] as const;
  for (const { rule, topology, pbc, how } of grids) {
    it(`${rule}, ${pbc ? 'toroidal ' : ''}${topology}, engine by ${how === 'fit' ? 'fit(x, { engine })' : 'the SOM option'}: the same BMUs and a final QE within 1e-4 relative of the tfjs engine`, async () => {
      const data = blobs(240, 5, 6);
      const base: SomOptions = { rows: 4, cols: 5, dims: 5, epochs: 4, batchSize: 32, rule, topology, pbc, sigma: 1.5, learningRate: 0.5, seed: 11 };
      const ref = new SOM({ ...base, engine: 'tfjs' });
      const eng = new SOM(how === 'option' ? { ...base, engine: onnxEngine() } : base);
      try {
        const hRef = await ref.fit(data);
        const hEng = how === 'option' ? await eng.fit(data) : await eng.fit(data, { engine: onnxEngine() });
        expect(eng.engineChoice?.name).toBe('onnxruntime');
        expect(ref.engineChoice?.name).toBe('tfjs');
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

  // The tfjs reference at 4 160 units takes ~10 s on the cpu backend: on wasm only.
  it.runIf(backend === 'wasm')('a 65 × 64 map (4 160 units, past the old [u, u] table limit of 4 096): minibatch and batch-map fits match the tfjs engine', async () => {
    // Data near the origin and a PCA init: with far-off blobs (‖x‖² in the hundreds) many samples
    // of a map this dense sit within the rounding of ‖x‖² − 2x·w + ‖w‖² of two units, and with an
    // init from 640 data rows into 4 160 units many units start as exact copies; either way the
    // engines' summation orders break the near ties differently (not a kernel error:
    // kernels.test.ts checks the kernels against float64 at 2 500 units).
    let q = 7;
    const data = Array.from({ length: 640 }, () => Array.from({ length: 4 }, () => ((q = (q * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1));
    for (const rule of ['minibatch', 'batch-map'] as const) {
      const base: SomOptions = { rows: 65, cols: 64, dims: 4, epochs: 1, batchSize: 128, rule, sigma: 8, learningRate: 0.5, seed: 3, init: 'pca' };
      const ref = new SOM({ ...base, engine: 'tfjs' });
      const eng = new SOM({ ...base, engine: onnxEngine() });
      try {
        await ref.fit(data);
        await eng.fit(data);
        expect(eng.engineChoice?.name).toBe('onnxruntime');
        const [qRef, qEng] = [await ref.quantizationError(data), await eng.quantizationError(data)];
        expect(Math.abs(qEng - qRef) / qRef, rule).toBeLessThan(1e-4);
        const [wr, we] = [ref.getWeights(), eng.getWeights()];
        let worst = 0;
        for (let i = 0; i < wr.length; i++) worst = Math.max(worst, Math.abs(wr[i]! - we[i]!));
        expect(worst, rule).toBeLessThan(1e-3);
      } finally {
        ref.dispose();
        eng.dispose();
      }
    }
  });
});

describeBackends(['wasm'], () => {
  for (const rule of ['minibatch', 'batch-map'] as const) {
    it(`same seed, same result: two ${rule} fits on the engine (2 threads, 4000 × 64 on 20 × 20) give identical codebooks bit for bit`, async () => {
      const data = { data: Float32Array.from(blobs(4000, 64, 12).flat()), shape: [4000, 64] as const };
      const opts: SomOptions = { rows: 20, cols: 20, dims: 64, epochs: 3, batchSize: 256, sigma: 5, rule, seed: 7 };
      const a = new SOM({ ...opts, engine: onnxEngine({ intraOpNumThreads: 2 }) });
      const b = new SOM({ ...opts, engine: onnxEngine({ intraOpNumThreads: 2 }) });
      try {
        await a.fit(data);
        await b.fit(data);
        expect(a.engineChoice?.name).toBe('onnxruntime');
        expect(new Uint32Array(b.getWeights().buffer)).toEqual(new Uint32Array(a.getWeights().buffer));
      } finally {
        a.dispose();
        b.dispose();
      }
    });
  }
});
