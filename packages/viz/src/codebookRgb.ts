import type { Codebook } from '@somkit/plugin-api';
import { Rng, topEigen } from '@somkit/geometry';

/** Codebook colours: one RGB triple per unit, and how they were made. */
export interface CodebookRgb {
  /** [u, 3] bytes 0–255, row-major. */
  readonly rgb: Uint8Array;
  /** 'pca' (first three principal components) or 'raw' (d ≤ 3 features used directly). */
  readonly method: 'pca' | 'raw';
  /** Share of the codebook's variance in each channel (PCA), or undefined for raw. */
  readonly explained?: readonly number[];
}

/**
 * fast.ai `show_weights`: projects the codebook [u, d] on its first three principal components
 * (d > 3; d ≤ 3 uses the raw features), then min-max scales each channel to 0–255.
 * A constant channel becomes 128; missing channels (d < 3) are 0. Each component's sign is fixed
 * so its largest loading is positive (deterministic colours).
 */
export function codebookRgb(codebook: Pick<Codebook, 'weights' | 'units' | 'dims'>): CodebookRgb {
  const { weights, units: u, dims: d } = codebook;
  const channels: Float64Array[] = [];
  let explained: number[] | undefined;
  if (d <= 3) {
    for (let c = 0; c < d; c++) channels.push(Float64Array.from({ length: u }, (_, k) => weights[k * d + c]!));
  } else {
    // Centre; the top three eigenvectors of the scatter XᵀX (X the centred codebook [u, d]) by
    // subspace iteration on v ↦ Xᵀ(X·v): O(u·d) per iteration, no [d, d] matrix (wide data: 2,000
    // features would be a 4 M-entry matrix and a full solve of O(d³)).
    const mean = new Float64Array(d);
    for (let k = 0; k < u; k++) for (let j = 0; j < d; j++) mean[j]! += weights[k * d + j]! / u;
    const x = new Float64Array(u * d);
    let total = 0;
    for (let i = 0; i < u * d; i++) {
      x[i] = weights[i]! - mean[i % d]!;
      total += x[i]! * x[i]!;
    }
    const scatter = (v: Float64Array): Float64Array => {
      const out = new Float64Array(d);
      for (let k = 0; k < u; k++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += x[k * d + j]! * v[j]!;
        for (let j = 0; j < d; j++) out[j] = out[j]! + s * x[k * d + j]!;
      }
      return out;
    };
    const { values, vectors } = topEigen(scatter, d, 3, new Rng(0));
    // The trace of the scatter is the total variance (the sum of all its eigenvalues).
    explained = values.map((v) => (total > 0 ? Math.max(0, v) / total : 0));
    // (topEigen turns each vector so its largest loading is positive.)
    for (const vec of vectors) {
      channels.push(Float64Array.from({ length: u }, (_, k) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += x[k * d + j]! * vec[j]!;
        return s;
      }));
    }
  }
  const rgb = new Uint8Array(u * 3);
  channels.forEach((ch, c) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of ch) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    for (let k = 0; k < u; k++) rgb[k * 3 + c] = hi - lo > 1e-12 * Math.max(1, Math.abs(hi)) ? Math.round(((ch[k]! - lo) / (hi - lo)) * 255) : 128;
  });
  return explained === undefined ? { rgb, method: 'raw' } : { rgb, method: 'pca', explained };
}
