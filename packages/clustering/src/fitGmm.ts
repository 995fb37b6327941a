import { SomError, type AbortSignalLike } from '@somkit/plugin-api';
import { toDense, type DenseMatrix, type Points } from './Points.js';
import { autoKMax, type KCurve } from './KCurve.js';
import { fitKMeansDense } from './fitKMeans.js';
import { cholesky } from './cholesky.js';
import { checkAbort } from './checkAbort.js';
import { countPositive, unitWeights } from './unitWeights.js';
import { chooseCovariance } from './chooseCovariance.js';

import type { CovarianceType } from './CovarianceType.js';

export type { CovarianceType } from './CovarianceType.js';
/** What `covariance` accepts: a structure, or `'auto'` ({@link chooseCovariance}). */
export type CovarianceOption = CovarianceType | 'auto';

/** Options of {@link fitGmm}. */
export interface GmmOptions {
  /** Components, 1 ≤ k ≤ n. Omit to pick the BIC minimum over k = 1..min(10, max(2, ⌊√n⌋)). */
  k?: number | undefined;
  /**
   * Default `'auto'`: `'full'` when every component has more points than the parameters of a
   * full covariance, else `'diag'` ({@link chooseCovariance}); the fit's `covariance` says which.
   */
  covariance?: CovarianceOption | undefined;
  /** Seed of the k-means initialisation. Default 42. */
  seed?: number | undefined;
  /** EM iterations. Default 100. */
  maxIterations?: number | undefined;
  /** Stop when the mean log-likelihood per point improves by less than this. Default 1e-3. */
  tolerance?: number | undefined;
  /** Added to every covariance diagonal. Default 1e-6. */
  reg?: number | undefined;
  /**
   * [n] point weights (for a codebook: each unit's hit count), read as frequencies: point i
   * counts wᵢ times in the M-step, the log-likelihood and the k-means initialisation, and the
   * BIC's n is Σ wᵢ. Zero-weight points are labelled but shape no component. At least k points
   * need a positive weight.
   */
  weights?: ArrayLike<number> | undefined;
  signal?: AbortSignalLike | undefined;
}

/** What {@link fitGmm} returns. */
export interface GmmFit {
  /** [n] most probable component of each point, 0-based. */
  labels: Int32Array;
  k: number;
  /** [k][d] component means. */
  centers: number[][];
  /** [k] mixture weights. */
  weights: number[];
  /** [k] covariances: [d][d] for 'full', [d] (the diagonal) for 'diag'. */
  covariances: number[][][] | number[][];
  covariance: CovarianceType;
  /** Total log-likelihood of the points (weighted: Σ wᵢ log p(xᵢ)). */
  logLikelihood: number;
  /** −2·logL + p·ln n (p = free parameters; n = Σ weights when weighted). Lower is better. */
  bic: number;
  /** −2·logL + 2p. */
  aic: number;
  iterations: number;
  converged: boolean;
  /** The BIC curve when k was chosen automatically. */
  curve?: KCurve;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Gaussian mixture by expectation–maximisation: k-means initialisation (seeded), full or
 * diagonal covariances regularised by `reg` on the diagonal, log-sum-exp responsibilities,
 * Cholesky-based densities. Without `k`, fits k = 1..kmax and keeps the BIC minimum (TorchSOM).
 * With `weights`, weighted EM (each point counts wᵢ times), initialised by weighted k-means.
 *
 * ```ts
 * const { labels, bic } = fitGmm(points, { k: 3, covariance: 'diag' });
 * ```
 * @param points - [n, d]
 * @throws SomError ERR_INVALID_CONFIG for bad options; ERR_INVALID_INPUT when a covariance is not
 *   positive definite even after regularisation (raise `reg` or use 'diag')
 */
export function fitGmm(points: Points, options: GmmOptions = {}): GmmFit {
  return fitGmmDense(toDense(points), options);
}

/** {@link fitGmm} on a validated matrix. */
export function fitGmmDense(x: DenseMatrix, options: GmmOptions = {}): GmmFit {
  const requested = options.covariance ?? 'auto';
  if (requested !== 'auto' && requested !== 'full' && requested !== 'diag') {
    throw new SomError('ERR_INVALID_CONFIG', `covariance: expected 'auto', 'full' or 'diag', got ${JSON.stringify(requested)}.`);
  }
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) throw new SomError('ERR_INVALID_CONFIG', `seed: expected an integer, got ${String(seed)}.`);
  const maxIterations = options.maxIterations ?? 100;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new SomError('ERR_INVALID_CONFIG', `maxIterations: expected an integer ≥ 1, got ${String(maxIterations)}.`);
  const tolerance = options.tolerance ?? 1e-3;
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new SomError('ERR_INVALID_CONFIG', `tolerance: expected a finite number ≥ 0, got ${String(tolerance)}.`);
  const reg = options.reg ?? 1e-6;
  if (!(reg >= 0) || !Number.isFinite(reg)) throw new SomError('ERR_INVALID_CONFIG', `reg: expected a finite number ≥ 0, got ${String(reg)}.`);
  const w = options.weights === undefined ? undefined : unitWeights(options.weights, x.n);
  const positive = w === undefined ? x.n : countPositive(w);
  const kmax = autoKMax(positive);
  const covariance = requested === 'auto' ? chooseCovariance(positive, x.d, options.k ?? kmax) : requested;
  const settings = { covariance, seed, maxIterations, tolerance, reg, signal: options.signal, weights: w };
  if (options.k !== undefined) {
    const k = options.k;
    if (!Number.isInteger(k) || k < 1 || k > x.n) {
      throw new SomError('ERR_INVALID_CONFIG', `k: expected an integer in [1, ${x.n}] (1 to the number of points), got ${String(k)}.`);
    }
    if (k > positive) {
      throw new SomError('ERR_INVALID_CONFIG', `k: expected at most ${positive} (the points with a positive weight), got ${k}. Lower k, or weight by more data.`);
    }
    return em(x, k, settings);
  }
  const ks: number[] = [];
  const values: number[] = [];
  let best: GmmFit | undefined;
  for (let k = 1; k <= kmax; k++) {
    ks.push(k);
    let fit: GmmFit | undefined;
    try {
      fit = em(x, k, settings);
    } catch (e) {
      // A candidate whose covariances degenerate scores +∞ (TorchSOM does the same).
      if (e instanceof SomError && e.code === 'ERR_INVALID_INPUT') fit = undefined;
      else throw e;
    }
    values.push(fit?.bic ?? Infinity);
    if (fit !== undefined && (best === undefined || fit.bic < best.bic)) best = fit;
  }
  if (best === undefined) {
    throw new SomError('ERR_INVALID_INPUT', `GMM: every candidate k = 1..${kmax} had a singular covariance. Raise reg (now ${reg}) or use covariance: 'diag'.`);
  }
  return { ...best, curve: { ks, values, criterion: 'bic' } };
}

interface EmSettings {
  covariance: CovarianceType;
  seed: number;
  maxIterations: number;
  tolerance: number;
  reg: number;
  signal: AbortSignalLike | undefined;
  /** Validated point weights; undefined = every point weighs 1. */
  weights: Float64Array | undefined;
}

function em(x: DenseMatrix, k: number, s: EmSettings): GmmFit {
  const { data, n, d } = x;
  const full = s.covariance === 'full';
  const covSize = full ? d * d : d;
  // Responsibilities [n, k], initialised one-hot from k-means (scikit-learn's init_params='kmeans').
  const resp = new Float64Array(n * k);
  const pw = s.weights;
  // Total weight: n unweighted, Σ w (the number of samples behind a codebook) weighted.
  let total = n;
  if (pw !== undefined) {
    total = 0;
    for (let i = 0; i < n; i++) total += pw[i]!;
  }
  const init = fitKMeansDense(x, { k, nInit: 1, seed: s.seed, weights: pw });
  for (let i = 0; i < n; i++) resp[i * k + init.labels[i]!] = 1;
  const weights = new Float64Array(k);
  const means = new Float64Array(k * d);
  const covs = new Float64Array(k * covSize);
  const factors = new Float64Array(k * covSize); // Cholesky factors (full) or std devs (diag)
  const logDets = new Float64Array(k);
  const logProb = new Float64Array(k);
  const diff = new Float64Array(d);

  const mStep = (): void => {
    weights.fill(0);
    means.fill(0);
    covs.fill(0);
    for (let i = 0; i < n; i++) {
      const wi = pw === undefined ? 1 : pw[i]!;
      for (let c = 0; c < k; c++) {
        const r = wi * resp[i * k + c]!;
        if (r === 0) continue;
        weights[c]! += r;
        for (let t = 0; t < d; t++) means[c * d + t]! += r * data[i * d + t]!;
      }
    }
    // Σ r, plus 10·ε as scikit-learn does so empty components do not divide by zero.
    for (let c = 0; c < k; c++) {
      weights[c]! += 10 * Number.EPSILON;
      for (let t = 0; t < d; t++) means[c * d + t]! /= weights[c]!;
    }
    for (let i = 0; i < n; i++) {
      const wi = pw === undefined ? 1 : pw[i]!;
      for (let c = 0; c < k; c++) {
        const r = wi * resp[i * k + c]!;
        if (r === 0) continue;
        for (let t = 0; t < d; t++) diff[t] = data[i * d + t]! - means[c * d + t]!;
        const base = c * covSize;
        if (full) {
          for (let a = 0; a < d; a++) {
            const ra = r * diff[a]!;
            for (let b = 0; b <= a; b++) covs[base + a * d + b]! += ra * diff[b]!;
          }
        } else {
          for (let t = 0; t < d; t++) covs[base + t]! += r * diff[t]! * diff[t]!;
        }
      }
    }
    for (let c = 0; c < k; c++) {
      const base = c * covSize;
      const w = weights[c]!;
      if (full) {
        for (let a = 0; a < d; a++) {
          for (let b = 0; b <= a; b++) {
            const v = covs[base + a * d + b]! / w + (a === b ? s.reg : 0);
            covs[base + a * d + b] = v;
            covs[base + b * d + a] = v;
          }
        }
      } else {
        for (let t = 0; t < d; t++) covs[base + t] = covs[base + t]! / w + s.reg;
      }
      weights[c] = w / total;
    }
    // Factorise once per iteration: log-determinants and whitening factors.
    for (let c = 0; c < k; c++) {
      const base = c * covSize;
      if (full) {
        const l = covs.slice(base, base + covSize);
        if (!cholesky(l, d)) {
          throw new SomError('ERR_INVALID_INPUT', `GMM: the covariance of component ${c} is not positive definite (k=${k}). Raise reg (now ${s.reg}), use covariance: 'diag', or lower k.`);
        }
        factors.set(l, base);
        let ld = 0;
        for (let t = 0; t < d; t++) ld += 2 * Math.log(l[t * d + t]!);
        logDets[c] = ld;
      } else {
        let ld = 0;
        for (let t = 0; t < d; t++) {
          const v = covs[base + t]!;
          if (!(v > 0)) throw new SomError('ERR_INVALID_INPUT', `GMM: a variance of component ${c} is zero (k=${k}). Raise reg (now ${s.reg}).`);
          factors[base + t] = Math.sqrt(v);
          ld += Math.log(v);
        }
        logDets[c] = ld;
      }
    }
  };

  /** E-step: fills `resp`, returns the total log-likelihood. */
  const eStep = (): number => {
    let logL = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        const base = c * covSize;
        let q = 0;
        if (full) {
          // Solve L z = (x − μ) by forward substitution; q = ‖z‖².
          for (let a = 0; a < d; a++) {
            let v = data[i * d + a]! - means[c * d + a]!;
            for (let b = 0; b < a; b++) v -= factors[base + a * d + b]! * diff[b]!;
            v /= factors[base + a * d + a]!;
            diff[a] = v;
            q += v * v;
          }
        } else {
          for (let t = 0; t < d; t++) {
            const v = (data[i * d + t]! - means[c * d + t]!) / factors[base + t]!;
            q += v * v;
          }
        }
        const lp = Math.log(weights[c]!) - 0.5 * (d * LOG_2PI + logDets[c]! + q);
        logProb[c] = lp;
        if (lp > max) max = lp;
      }
      // log-sum-exp over components.
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(logProb[c]! - max);
      const lse = max + Math.log(sum);
      logL += pw === undefined ? lse : pw[i]! * lse;
      for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(logProb[c]! - lse);
    }
    return logL;
  };

  mStep();
  let logL = eStep();
  let iterations = 0;
  let converged = false;
  while (iterations < s.maxIterations) {
    checkAbort(s.signal, 'GMM');
    iterations++;
    mStep();
    const next = eStep();
    const change = (next - logL) / total;
    logL = next;
    if (Math.abs(change) < s.tolerance) {
      converged = true;
      break;
    }
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (resp[i * k + c]! > resp[i * k + best]!) best = c;
    labels[i] = best;
  }
  const params = full ? k * ((d * (d + 1)) / 2) + k * d + k - 1 : 2 * k * d + k - 1;
  const centers = Array.from({ length: k }, (_, c) => Array.from(means.subarray(c * d, (c + 1) * d)));
  const covariances = full
    ? Array.from({ length: k }, (_, c) => Array.from({ length: d }, (_, a) => Array.from(covs.subarray(c * covSize + a * d, c * covSize + (a + 1) * d))))
    : Array.from({ length: k }, (_, c) => Array.from(covs.subarray(c * covSize, (c + 1) * covSize)));
  return {
    labels,
    k,
    centers,
    weights: Array.from(weights),
    covariances,
    covariance: s.covariance,
    logLikelihood: logL,
    bic: -2 * logL + params * Math.log(total),
    aic: -2 * logL + 2 * params,
    iterations,
    converged,
  };
}
