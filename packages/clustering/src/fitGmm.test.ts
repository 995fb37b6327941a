import { describe, expect, it } from 'vitest';
import { isSomError } from '@somkit/plugin-api';
import { adjustedRandIndex, chooseCovariance, fitGmm } from './index.js';
import { seededRandom } from './seededRandom.js';

function blobs(seed = 7): { x: number[][]; y: number[] } {
  const r = seededRandom(seed);
  const centers = [[0, 0], [10, 0], [0, 10], [10, 10]];
  const x: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < 4; c++) {
    for (let i = 0; i < 100; i++) {
      x.push(centers[c]!.map((v) => v + 0.5 * r.normal()));
      y.push(c);
    }
  }
  return { x, y };
}

describe('fitGmm', () => {
  it('recovers 4 blobs with full and diagonal covariances', () => {
    const { x, y } = blobs();
    for (const covariance of ['full', 'diag'] as const) {
      const fit = fitGmm(x, { k: 4, covariance });
      expect(adjustedRandIndex(y, fit.labels), covariance).toBe(1);
      expect(fit.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(fit.converged).toBe(true);
      for (const w of fit.weights) expect(w).toBeCloseTo(0.25, 2);
    }
  });

  it('with k = 1 equals the closed-form Gaussian fit: logL, BIC and AIC', () => {
    const { x } = blobs(2);
    const n = x.length;
    const reg = 1e-6;
    const fit = fitGmm(x, { k: 1, reg });
    const mean = [0, 1].map((t) => x.reduce((s, p) => s + p[t]!, 0) / n);
    const cov = [0, 1].map((a) => [0, 1].map((b) => x.reduce((s, p) => s + (p[a]! - mean[a]!) * (p[b]! - mean[b]!), 0) / n + (a === b ? reg : 0)));
    const det = cov[0]![0]! * cov[1]![1]! - cov[0]![1]! * cov[1]![0]!;
    const inv = [[cov[1]![1]! / det, -cov[0]![1]! / det], [-cov[1]![0]! / det, cov[0]![0]! / det]];
    let logL = 0;
    for (const p of x) {
      const d0 = p[0]! - mean[0]!;
      const d1 = p[1]! - mean[1]!;
      const q = d0 * (inv[0]![0]! * d0 + inv[0]![1]! * d1) + d1 * (inv[1]![0]! * d0 + inv[1]![1]! * d1);
      logL += -0.5 * (2 * Math.log(2 * Math.PI) + Math.log(det) + q);
    }
    expect(fit.logLikelihood).toBeCloseTo(logL, 6);
    // p = d(d+1)/2 + d = 5 free parameters for one full-covariance component in 2-D.
    expect(fit.bic).toBeCloseTo(-2 * logL + 5 * Math.log(n), 6);
    expect(fit.aic).toBeCloseTo(-2 * logL + 10, 6);
    expect(fit.centers[0]![0]).toBeCloseTo(mean[0]!, 9);
  });

  it('is reproducible with a seed', () => {
    const { x } = blobs(4);
    const a = fitGmm(x, { k: 5, seed: 3 });
    const b = fitGmm(x, { k: 5, seed: 3 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.bic).toBe(b.bic);
  });

  it('picks k = 4 on 4 blobs by the BIC minimum and reports the curve', () => {
    const { x } = blobs();
    const fit = fitGmm(x);
    expect(fit.k).toBe(4);
    expect(fit.curve?.criterion).toBe('bic');
    expect(fit.curve?.ks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const values = fit.curve!.values;
    expect(Math.min(...values)).toBe(values[3]);
  });

  it('rejects bad k and covariance', () => {
    for (const options of [{ k: 0 }, { k: 401 }, { covariance: 'spherical' as 'full' }]) {
      try {
        fitGmm(blobs().x, options);
        expect.unreachable();
      } catch (e) {
        expect(isSomError(e, 'ERR_INVALID_CONFIG')).toBe(true);
      }
    }
  });
  it("defaults to 'auto': full on low-dimensional data, diag when a full covariance has more parameters than points", () => {
    expect(chooseCovariance(196, 64, 3)).toBe('diag');
    expect(chooseCovariance(64, 4, 3)).toBe('full');
    const { x } = blobs();
    expect(fitGmm(x, { k: 4 }).covariance).toBe('full');
    // 60 points in 20-D, 3 groups of 20: a full covariance (230 parameters per component) is singular.
    const r = seededRandom(3);
    const wide: number[][] = [];
    for (let c = 0; c < 3; c++) for (let i = 0; i < 20; i++) wide.push(Array.from({ length: 20 }, (_, j) => (j === c ? 6 : 0) + r.normal()));
    const fit = fitGmm(wide, { k: 3 });
    expect(fit.covariance).toBe('diag');
    expect(fitGmm(wide, { k: 3, covariance: 'full' }).covariance).toBe('full');
    // Automatic k fits every candidate with the structure chosen for the largest one.
    expect(fitGmm(wide).covariance).toBe('diag');
  });
});
