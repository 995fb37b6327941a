import * as tf from '@tensorflow/tfjs-core';
import { SomError } from '@somkit/plugin-api';

/**
 * First and second moments of some rows [n, d], additive across disjoint shards with
 * {@link mergeMoments}: the column means and the scatter about them (not Σ xxᵀ, whose difference
 * with n·mean·meanᵀ loses the covariance when |mean| ≫ spread), all float64.
 */
export interface ShardMoments {
  n: number;
  dims: number;
  /** [d] column means (zeros when n = 0). */
  mean: Float64Array;
  /** [d, d] Σ (x − mean)(x − mean)ᵀ, row-major, symmetric. */
  scatter: Float64Array;
}

/** Moments of no rows, to merge into. */
export function emptyMoments(dims: number): ShardMoments {
  return { n: 0, dims, mean: new Float64Array(dims), scatter: new Float64Array(dims * dims) };
}

/**
 * Moments of the union of two disjoint row sets (Chan et al.'s pairwise update):
 * `mean = a.mean + δ·b.n/n`, `scatter = a.scatter + b.scatter + δδᵀ·a.n·b.n/n`, δ = b.mean − a.mean.
 * @throws SomError ERR_SHAPE_MISMATCH (different widths)
 */
export function mergeMoments(a: ShardMoments, b: ShardMoments): ShardMoments {
  const d = a.dims;
  if (b.dims !== d) throw new SomError('ERR_SHAPE_MISMATCH', `mergeMoments: rows of width ${a.dims} and ${b.dims} cannot be merged.`);
  if (b.n === 0) return a;
  if (a.n === 0) return b;
  const n = a.n + b.n;
  const delta = new Float64Array(d);
  const mean = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    delta[j] = b.mean[j]! - a.mean[j]!;
    mean[j] = a.mean[j]! + (delta[j]! * b.n) / n;
  }
  const f = (a.n * b.n) / n;
  const scatter = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) scatter[i * d + j] = a.scatter[i * d + j]! + b.scatter[i * d + j]! + delta[i]! * delta[j]! * f;
  }
  return { n, dims: d, mean, scatter };
}

/** The covariance [d, d] of merged moments, normalised by n − 1 as core's `init: 'pca'` does. */
export function covariance(m: ShardMoments): Float64Array {
  const cov = new Float64Array(m.scatter.length);
  for (let k = 0; k < cov.length; k++) cov[k] = m.scatter[k]! / (m.n - 1);
  return cov;
}

/**
 * Moments of rows [n, d] held in CPU memory: the means in float64, the scatter of the rows
 * centred on them (in float64, then rounded to float32) as one tfjs product `xcᵀ·xc` on the active
 * backend, read back into float64. Callers keep `n` moderate (a few thousand rows) so the float32
 * sums stay accurate; {@link mergeMoments} adds the pieces in float64.
 * @param x - rows [n, d] row-major
 */
export async function rowMoments(x: Float32Array | Float64Array, n: number, d: number): Promise<ShardMoments> {
  if (n === 0) return emptyMoments(d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  const xc = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xc[i * d + j] = x[i * d + j]! - mean[j]!;
  // Scatter [d, d] = xcᵀ xc; transpose explicitly once (wasm is slow with transposeA/B flags).
  const s = tf.tidy(() => {
    const t = tf.tensor2d(xc, [n, d]);
    return tf.matMul(tf.transpose(t), t);
  });
  try {
    return { n, dims: d, mean, scatter: Float64Array.from(await s.data()) };
  } finally {
    s.dispose();
  }
}
