// Missing values (`missing: 'mask'`): the tfjs reference kernels against the plain-JS float64
// kernels of @somkit/testing, the rule on complete data against training without the option, and
// the engine fallback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@somkit/kernels/register';
import { defineDistance, defineEngine, isSomError, logger, type KernelName } from '@somkit/plugin-api';
import { referenceKernels as jsKernels } from '@somkit/testing';
import { euclidean } from '@somkit/kernels';
import { SOM } from '../SOM.js';
import type { SomOptions } from '../config.js';
import { Rng } from '@somkit/geometry';
import { mergeSums } from './NeuronSums.js';

function blobs(n: number, d: number, centers: number, seed = 3): Float32Array {
  const r = new Rng(seed);
  const c = Array.from({ length: centers }, () => Array.from({ length: d }, () => (r.next() - 0.5) * 20));
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = c[i % centers]![j]! + r.normal() * 0.3;
  return out;
}

/** A copy of `x` with about `share` of its cells set to NaN (never a whole row). */
function holes(x: Float32Array, d: number, share: number, seed = 9): Float32Array {
  const r = new Rng(seed);
  const out = new Float32Array(x);
  for (let i = 0; i < out.length / d; i++) {
    for (let j = 0; j < d; j++) if (r.next() < share) out[i * d + j] = Number.NaN;
    if (Array.from(out.subarray(i * d, (i + 1) * d)).every(Number.isNaN)) out[i * d] = x[i * d]!;
  }
  return out;
}

/** The plain-JS float64 kernels as an engine that handles missing values. */
const jsEngine = (distance = 'euclidean') =>
  defineEngine('test/js-float64', () => ({
    priority: 1,
    supports: () => true as const,
    open: () => ({ kernels: jsKernels({ distance }), maskedKernels: ['bmu', 'neuronSums', 'minibatchSteps'] as KernelName[], close() {} }),
  }))();

const n = 120;
const d = 5;
const base: SomOptions = { rows: 4, cols: 5, dims: d, epochs: 3, batchSize: 16, sigma: 1.5, seed: 4, engine: 'tfjs' };

async function train(opts: Partial<SomOptions>, x: Float32Array, fit: { shuffle?: boolean } = {}): Promise<{ w: Float32Array; qe: number[]; som: SOM }> {
  const som = new SOM({ ...base, ...opts });
  await som.fit({ data: x, shape: [x.length / d, d] }, fit);
  return { w: som.getWeights(), qe: [...som.history.qe], som };
}

describe("missing: 'mask'", () => {
  let before = 0;
  beforeEach(async () => {
    await tf.setBackend('cpu');
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  const x = blobs(n, d, 4);
  const xm = holes(x, d, 0.2);

  for (const rule of ['minibatch', 'batch-map'] as const) {
    it(`${rule}: on complete data the option changes nothing (same bits)`, async () => {
      const a = await train({ rule }, x);
      const b = await train({ rule, missing: 'mask' }, x);
      expect(Array.from(b.w)).toEqual(Array.from(a.w));
      expect(b.qe).toEqual(a.qe);
      a.som.dispose();
      b.som.dispose();
    });

    for (const distance of ['euclidean', 'sqeuclidean', 'manhattan', 'cosine'] as const) {
      it(`${rule}, ${distance}: with 20 % missing cells the tfjs kernels match the float64 plain-JS kernels`, async () => {
        const ref = await train({ rule, distance, missing: 'mask', engine: jsEngine(distance) }, xm);
        const got = await train({ rule, distance, missing: 'mask' }, xm);
        expect(got.som.engineChoice?.name).toBe('tfjs');
        for (let i = 0; i < ref.w.length; i++) expect(got.w[i]).toBeCloseTo(ref.w[i]!, 3);
        for (let e = 0; e < ref.qe.length; e++) expect(got.qe[e]).toBeCloseTo(ref.qe[e]!, 3);
        expect(got.w.every(Number.isFinite)).toBe(true);
        ref.som.dispose();
        got.som.dispose();
      });
    }
  }

  it('the masked reference kernels on complete data agree with the plain ones within float32 rounding', async () => {
    // The engine declares masked kernels and gets `missing: true` jobs only when a cell is NaN:
    // one NaN cell makes every job masked, and the rest of the data must train as before.
    const one = new Float32Array(x);
    one[7] = Number.NaN;
    const a = await train({ missing: 'mask' }, one, { shuffle: false });
    const b = await train({ missing: 'mask', engine: jsEngine() }, one, { shuffle: false });
    for (let i = 0; i < a.w.length; i++) expect(a.w[i]).toBeCloseTo(b.w[i]!, 3);
    a.som.dispose();
    b.som.dispose();
  });

  it('QE and TE are measured over observed dimensions, rescaled to all of them', async () => {
    const som = new SOM({ ...base, missing: 'mask' });
    await som.fit({ data: xm, shape: [n, d] });
    const w = som.getWeights();
    const { qe } = await som.evaluate({ data: xm, shape: [n, d] });
    let want = 0;
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      for (let q = 0; q < som.units; q++) {
        let s = 0;
        let o = 0;
        for (let j = 0; j < d; j++) {
          const v = xm[i * d + j]!;
          if (Number.isNaN(v)) continue;
          s += (v - w[q * d + j]!) ** 2;
          o++;
        }
        best = Math.min(best, Math.sqrt((s * d) / o));
      }
      want += best;
    }
    expect(qe).toBeCloseTo(want / n, 4);
    const dist = await som.transform({ data: xm, shape: [n, d] });
    expect(dist.every(Number.isFinite)).toBe(true);
    som.dispose();
  });

  it('impute fills every missing cell from the BMU and leaves observed cells alone', async () => {
    const som = new SOM({ ...base, missing: 'mask', rule: 'batch-map', epochs: 8, sigma: 2 });
    await som.fit({ data: xm, shape: [n, d] });
    const filled = await som.impute({ data: xm, shape: [n, d] }, { method: 'unit' });
    const blended = await som.impute({ data: xm, shape: [n, d] });
    const bmus = await som.identifyBmus({ data: xm, shape: [n, d] });
    const w = som.getWeights();
    let err = 0;
    let meanErr = 0;
    let holesCount = 0;
    const means = Array.from({ length: d }, (_, j) => {
      let s = 0;
      let c = 0;
      for (let i = 0; i < n; i++) if (!Number.isNaN(xm[i * d + j]!)) (s += xm[i * d + j]!), c++;
      return s / c;
    });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const k = i * d + j;
        if (Number.isNaN(xm[k]!)) {
          expect(filled[k]).toBe(w[bmus[i]! * d + j]);
          err += (filled[k]! - x[k]!) ** 2;
          meanErr += (means[j]! - x[k]!) ** 2;
          holesCount++;
        } else expect(filled[k]).toBe(xm[k]);
      }
    }
    // Blobs: the map knows the groups, the column mean does not.
    expect(Math.sqrt(err / holesCount)).toBeLessThan(0.3 * Math.sqrt(meanErr / holesCount));
    // The blend keeps observed cells, fills every hole, and on blobs is no worse than the unit value.
    let blendErr = 0;
    for (let k = 0; k < xm.length; k++) {
      if (Number.isNaN(xm[k]!)) blendErr += (blended[k]! - x[k]!) ** 2;
      else expect(blended[k]).toBe(xm[k]);
    }
    expect(blended.every(Number.isFinite)).toBe(true);
    expect(blendErr).toBeLessThanOrEqual(err * 1.05);
    expect(Array.from(await som.impute({ data: xm, shape: [n, d] }))).toEqual(Array.from(blended));
    await expect(som.impute({ data: xm, shape: [n, d] }, { unitWeight: 2 })).rejects.toThrow(/unitWeight: expected a number in \[0, 1\]/);
    // A model trained without the option imputes too (NaN cells are what impute is for).
    const plain = new SOM({ ...base });
    await plain.fit({ data: x, shape: [n, d] });
    expect((await plain.impute({ data: xm, shape: [n, d] })).every(Number.isFinite)).toBe(true);
    som.dispose();
    plain.dispose();
  });

  it('per-neuron sums of chunks with and without missing cells merge to the sums of the whole', async () => {
    const som = new SOM({ ...base, rule: 'batch-map', missing: 'mask' });
    await som.initialize({ data: x, shape: [n, d] });
    const half = (n / 2) * d;
    const whole = await som.accumulate({ data: xm, shape: [n, d] });
    const parts = [await som.accumulate({ data: x.slice(0, half), shape: [n / 2, d] }), await som.accumulate({ data: xm.slice(half), shape: [n / 2, d] })];
    const mixed = new Float32Array(xm);
    mixed.set(x.subarray(0, half));
    const wholeMixed = await som.accumulate({ data: mixed, shape: [n, d] });
    const merged = mergeSums(parts);
    expect(parts[0]!.counts).toBeUndefined();
    expect(Array.from(merged.counts!)).toEqual(Array.from(wholeMixed.counts!));
    for (let i = 0; i < merged.sums.length; i++) expect(merged.sums[i]).toBeCloseTo(wholeMixed.sums[i]!, 3);
    expect(whole.counts).toBeDefined();
    som.dispose();
  });

  it('refuses what it cannot mask, with the fix', async () => {
    const som = new SOM({ ...base });
    const err1 = await som.fit({ data: xm, shape: [n, d] }).catch((e: unknown) => e);
    expect(isSomError(err1, 'ERR_NON_FINITE') && /missing: 'mask'/.test(err1.message)).toBe(true);
    som.dispose();
    const masked = new SOM({ ...base, missing: 'mask' });
    const inf = new Float32Array(x);
    inf[3] = Infinity;
    const err2 = await masked.fit({ data: inf, shape: [n, d] }).catch((e: unknown) => e);
    expect(isSomError(err2, 'ERR_NON_FINITE') && /Infinity is never a missing value/.test(err2.message)).toBe(true);
    const empty = new Float32Array(x);
    empty.fill(Number.NaN, 2 * d, 3 * d);
    const err3 = await masked.fit({ data: empty, shape: [n, d] }).catch((e: unknown) => e);
    expect(isSomError(err3, 'ERR_INVALID_INPUT') && /Row 2 .*no observed value/.test(err3.message)).toBe(true);
    masked.dispose();
    const custom = defineDistance('test/no-mask', () => ({ pairwise: (a, b) => euclidean().pairwise(a, b) }))();
    expect(() => new SOM({ ...base, missing: 'mask', distance: custom })).toThrow(/needs a distance with a masked form.*Use a built-in distance/);
  });

  it('an engine without masked kernels falls back to the reference for data with missing values, and says so once', async () => {
    const warnings: string[] = [];
    const level = logger.getLevel();
    logger.setLevel('warn');
    logger.setSink((lvl, msg) => void (lvl === 'warn' && warnings.push(msg)));
    const plainJs = defineEngine('test/js-unmasked', () => ({ priority: 1, supports: () => true as const, open: () => ({ kernels: jsKernels(), close() {} }) }))();
    const a = await train({ missing: 'mask', engine: plainJs }, xm);
    const b = await train({ missing: 'mask' }, xm);
    expect(Array.from(a.w)).toEqual(Array.from(b.w));
    await train({ missing: 'mask', engine: plainJs }, xm).then((r) => r.som.dispose());
    logger.setSink(undefined);
    logger.setLevel(level);
    expect(warnings.filter((w) => /test\/js-unmasked/.test(w))).toHaveLength(1);
    a.som.dispose();
    b.som.dispose();
  });

  it('missing and preprocessing survive the model file; files without them load as before', async () => {
    const som = new SOM({ ...base, missing: 'mask', preprocessing: { kind: 'table', columns: ['a'] } });
    await som.fit({ data: xm, shape: [n, d] });
    const json = JSON.parse(JSON.stringify(som.toJSON()));
    expect(json.preprocessing).toEqual({ kind: 'table', columns: ['a'] });
    const back = await SOM.fromJSON(json);
    expect(back.config.missing).toBe('mask');
    expect(back.preprocessing).toEqual({ kind: 'table', columns: ['a'] });
    expect(Array.from(await back.identifyBmus({ data: xm, shape: [n, d] }))).toEqual(Array.from(await som.identifyBmus({ data: xm, shape: [n, d] })));
    delete json.preprocessing;
    delete json.config.missing;
    const old = await SOM.fromJSON(json);
    expect(old.config.missing).toBe('error');
    expect(old.preprocessing).toBeUndefined();
    som.dispose();
    back.dispose();
    old.dispose();
  });
});
