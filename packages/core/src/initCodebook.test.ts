import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { isSomError } from '@somkit/plugin-api';
import { Grid } from '@somkit/geometry';
import { Rng } from '@somkit/geometry';
import { resolveConfig } from './config.js';
import { initCodebook, randomInitRows } from './initCodebook.js';
import { pcaCodebook } from './pcaCodebook.js';

const CASES = [
  { rows: 6, cols: 6, dims: 8, n: 500, topology: 'hexagonal' },
  { rows: 4, cols: 12, dims: 3, n: 77, topology: 'rectangular' },
  { rows: 10, cols: 3, dims: 20, n: 1000, topology: 'hexagonal' },
] as const;

function data(n: number, d: number, seed: number): Float32Array {
  const r = new Rng(seed);
  // Columns of different spread and a non-zero mean, so the principal plane is well defined.
  return Float32Array.from({ length: n * d }, (_, k) => r.normal() * (1 + (k % d)) + 5);
}

/** Mean [d] and covariance [d, d] (÷ n − 1) in float64, two-pass, in plain JS. */
function moments64(x: Float32Array, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const da = x[i * d + a]! - mean[a]!;
      for (let b = 0; b < d; b++) cov[a * d + b] = cov[a * d + b]! + da * (x[i * d + b]! - mean[b]!);
    }
  }
  for (let k = 0; k < d * d; k++) cov[k] = cov[k]! / (n - 1);
  return { mean, cov };
}

function gridOf(c: (typeof CASES)[number]): Grid {
  return new Grid(resolveConfig({ rows: c.rows, cols: c.cols, dims: c.dims, topology: c.topology }).config);
}

for (const backend of ['cpu', 'wasm']) {
  describe(`init functions on ${backend}`, () => {
    let before = 0;
    beforeEach(async () => {
      await tf.setBackend(backend);
      await tf.ready();
      before = tf.memory().numTensors;
    });
    afterEach(() => {
      expect(tf.memory().numTensors).toBe(before);
    });

    it('randomInitRows picks the rows initCodebook(random) gathers, with the same draws', async () => {
      for (const c of CASES) {
        const grid = gridOf(c);
        const x = data(c.n, c.dims, c.n);
        const xt = tf.tensor2d(x, [c.n, c.dims]);
        const [ra, rb] = [new Rng(9), new Rng(9)];
        const w = await initCodebook(xt, grid, 'random', ra);
        const got = await w.data();
        tf.dispose([xt, w]);
        const idx = randomInitRows(c.n, grid.units, rb);
        expect(idx).toHaveLength(grid.units);
        const want = new Float32Array(grid.units * c.dims);
        for (const [i, r] of idx.entries()) {
          expect(r >= 0 && r < c.n).toBe(true);
          want.set(x.subarray(r * c.dims, (r + 1) * c.dims), i * c.dims);
        }
        expect(got).toEqual(want);
        // The generators advanced alike: later shuffles match.
        expect(ra.nextU32()).toBe(rb.nextU32());
      }
    });

    it('pcaCodebook from the float32 moments initCodebook computes gives its codebook bit for bit', async () => {
      for (const c of CASES) {
        const grid = gridOf(c);
        const xt = tf.tensor2d(data(c.n, c.dims, c.n + 1), [c.n, c.dims]);
        const [ra, rb] = [new Rng(3), new Rng(3)];
        const w = await initCodebook(xt, grid, 'pca', ra);
        const got = await w.data();
        // The same tfjs steps as initCodebook: mean [d], covariance [d, d] ÷ (n − 1).
        const [meanT, covT] = tf.tidy(() => {
          const mean = tf.mean(xt, 0);
          const xc = tf.sub(xt, mean);
          return [mean, tf.div(tf.matMul(tf.transpose(xc), xc), c.n - 1)];
        });
        const mean = await meanT.data();
        const cov = Float64Array.from(await covT.data());
        tf.dispose([xt, w, meanT, covT]);
        expect(pcaCodebook(mean, cov, c.n, grid, rb)).toEqual(got);
        expect(ra.nextU32()).toBe(rb.nextU32());
      }
    });

    it('pcaCodebook from float64 moments (e.g. merged shard sums) is initCodebook(pca) within float32 rounding', async () => {
      for (const c of CASES) {
        const grid = gridOf(c);
        const x = data(c.n, c.dims, c.n + 2);
        const xt = tf.tensor2d(x, [c.n, c.dims]);
        const w = await initCodebook(xt, grid, 'pca', new Rng(c.n));
        const want = await w.data();
        tf.dispose([xt, w]);
        const { mean, cov } = moments64(x, c.n, c.dims);
        const got = pcaCodebook(mean, cov, c.n, grid, new Rng(c.n));
        let scale = 0;
        for (const v of want) scale = Math.max(scale, Math.abs(v));
        for (let k = 0; k < got.length; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-5 * scale);
      }
    });
  });
}

describe('init function errors', () => {
  const grid = new Grid(resolveConfig({ rows: 2, cols: 3, dims: 2 }).config);
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return isSomError(e) ? e.code : String(e);
    }
    return undefined;
  };

  it('refuse what has no answer, with the codes initCodebook uses', () => {
    expect(codeOf(() => randomInitRows(0, 4, new Rng(1)))).toBe('ERR_EMPTY_INPUT');
    expect(codeOf(() => pcaCodebook([1], new Float64Array(1), 10, grid, new Rng(1)))).toBe('ERR_INVALID_CONFIG');
    expect(codeOf(() => pcaCodebook([1, 2], new Float64Array(4), 1, grid, new Rng(1)))).toBe('ERR_EMPTY_INPUT');
    expect(codeOf(() => pcaCodebook([1, 2], new Float64Array(3), 10, grid, new Rng(1)))).toBe('ERR_SHAPE_MISMATCH');
    expect(() => pcaCodebook([1, 2, 3], new Float64Array(4), 10, grid, new Rng(1))).toThrow(/expected a \[3, 3\] covariance \(9 values\).*got 4/);
  });

  it('a degenerate covariance (all rows equal) gives the mean for every unit, not NaN', () => {
    const w = pcaCodebook([1, -2], new Float64Array(4), 5, grid, new Rng(1));
    expect(Array.from(w)).toEqual(Array.from({ length: grid.units }, () => [1, -2]).flat());
  });
});
