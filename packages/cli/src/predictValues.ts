import type { SOM } from '@somkit/core';
import { buildIndex, jitlPredict } from '@somkit/jitl';
import { SomError } from '@somkit/plugin-api';
import type { Predictor } from './predictor.js';

/** How `somkit predict` estimates a regression target (`--method`). */
export const PREDICT_METHODS = ['unit', 'jitl', 'jitl-mean', 'blend'] as const;
/** One of {@link PREDICT_METHODS}. */
export type PredictMethod = (typeof PREDICT_METHODS)[number];

/** Training samples for JITL: features after the pipeline [n, d] and the target [n]. */
export interface History {
  features: Float32Array;
  target: Float32Array;
  n: number;
}

/** Options of {@link predictTargets}. */
export interface PredictTargetOptions {
  method: PredictMethod;
  /** JITL: keep adding cells while the buffer holds ≤ this many samples (knn mode). */
  minBuffer: number;
  /** JITL: ridge penalty of the local linear model (features are in the pipeline's scaled units). */
  ridge: number;
  /** Training samples for the JITL methods (stored in the model, or `--history`). */
  history?: History | undefined;
}

/** Predicted targets [n] and how many JITL predictions fell back to the buffer mean. */
export interface TargetPredictions {
  values: Float64Array;
  /** JITL buffers too small for a local linear model (predicted by their mean instead). */
  fallbacks: number;
}

/**
 * For each unit, the nearest unit (squared euclidean distance between codebook vectors, itself
 * first) for which `has` is true; −1 when none is.
 */
export function nearestWith(weights: Float32Array, units: number, dims: number, has: (u: number) => boolean): Int32Array {
  const out = new Int32Array(units).fill(-1);
  const filled: number[] = [];
  for (let u = 0; u < units; u++) if (has(u)) filled.push(u);
  for (let u = 0; u < units; u++) {
    if (has(u)) {
      out[u] = u;
      continue;
    }
    let best = Infinity;
    for (const v of filled) {
      let s = 0;
      for (let j = 0; j < dims; j++) s += (weights[u * dims + j]! - weights[v * dims + j]!) ** 2;
      if (s < best) {
        best = s;
        out[u] = v;
      }
    }
  }
  return out;
}

/**
 * The target estimate of each sample:
 * - `unit`: the mean training target of its BMU (a BMU without training values: the nearest unit
 *   with some, by codebook distance);
 * - `jitl`: a ridge linear model on the training samples retrieved around its BMU
 *   (`bmu_neighborhood_knn`, `jitlPredict`), which falls back to their mean when the buffer is
 *   too small for the features; a sample with missing features gets `unit`;
 * - `jitl-mean`: the mean target of those retrieved samples;
 * - `blend`: the average of `unit` and `jitl`.
 * @param data - samples [n, d] after the model's pipeline (NaN where missing)
 * @param bmus - [n] their BMUs
 * @throws SomError `ERR_INVALID_INPUT` for a JITL method without training samples
 */
export async function predictTargets(som: SOM, predictor: Predictor, data: Float32Array, n: number, bmus: Int32Array, opts: PredictTargetOptions): Promise<TargetPredictions> {
  const t = predictor.target!;
  const d = som.dims;
  const near = nearestWith(som.getWeights(), som.units, d, (u) => t.count[u]! > 0);
  const unit = Float64Array.from(bmus, (b) => {
    const k = near[b]!;
    return k < 0 ? NaN : t.sum[k]! / t.count[k]!;
  });
  if (opts.method === 'unit') return { values: unit, fallbacks: 0 };
  const h = opts.history;
  if (h === undefined) {
    throw new SomError('ERR_INVALID_INPUT', `--method ${opts.method} needs the training samples, and this model does not carry them (its training set was larger than the ${MAX_HINT} values a model file stores, or it was trained before somkit stored them). Pass the training file with --history FILE, or use --method unit.`);
  }
  const complete: number[] = [];
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (let j = 0; j < d && ok; j++) ok = Number.isFinite(data[i * d + j]!);
    if (ok) complete.push(i);
  }
  const values = Float64Array.from(unit);
  let fallbacks = 0;
  if (complete.length > 0) {
    const hist = { data: h.features, shape: [h.n, d] as const };
    const index = await buildIndex(som, hist);
    const queries = complete.map((i) => data.subarray(i * d, (i + 1) * d));
    const preds = await jitlPredict(queries, {
      som, index, data: hist, outputs: h.target, mode: 'bmu_neighborhood_knn', minBufferThreshold: opts.minBuffer, ridge: opts.ridge,
      ...(opts.method === 'jitl-mean' ? { minSamples: Number.MAX_SAFE_INTEGER } : {}),
    });
    complete.forEach((i, r) => {
      const p = preds[r]!;
      if (p.model === 'none') return;
      if (p.model === 'mean' && opts.method !== 'jitl-mean') fallbacks++;
      const j = p.prediction[0]!;
      values[i] = opts.method === 'blend' ? (unit[i]! + j) / 2 : j;
    });
  }
  return { values, fallbacks };
}

const MAX_HINT = '1,000,000';

/** The class text of each sample: its BMU's majority training class (an empty BMU: the nearest unit with one). */
export function predictClasses(som: SOM, predictor: Predictor, bmus: Int32Array): string[] {
  const l = predictor.label!;
  const near = nearestWith(som.getWeights(), som.units, som.dims, (u) => l.unitClass[u]! >= 0);
  return Array.from(bmus, (b) => {
    const k = near[b]!;
    return k < 0 ? '' : l.classes[l.unitClass[k]!]!;
  });
}
