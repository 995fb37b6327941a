import type { Codebook } from '@somkit/plugin-api';
import { symmetricEigen } from './symmetricEigen.js';

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
    // Centre, covariance [d, d], top three eigenvectors.
    const mean = new Float64Array(d);
    for (let k = 0; k < u; k++) for (let j = 0; j < d; j++) mean[j]! += weights[k * d + j]! / u;
    const cov = new Float64Array(d * d);
    for (let k = 0; k < u; k++) {
      for (let i = 0; i < d; i++) {
        const xi = weights[k * d + i]! - mean[i]!;
        for (let j = i; j < d; j++) cov[i * d + j]! += xi * (weights[k * d + j]! - mean[j]!);
      }
    }
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) cov[j * d + i] = cov[i * d + j]!;
    const { values, vectors } = symmetricEigen(cov, d);
    const total = values.reduce((s, v) => s + Math.max(0, v), 0);
    explained = values.slice(0, 3).map((v) => (total > 0 ? Math.max(0, v) / total : 0));
    for (const vec of vectors.slice(0, 3)) {
      let big = 0;
      for (let j = 0; j < d; j++) if (Math.abs(vec[j]!) > Math.abs(vec[big]!)) big = j;
      const sign = vec[big]! < 0 ? -1 : 1;
      channels.push(Float64Array.from({ length: u }, (_, k) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += (weights[k * d + j]! - mean[j]!) * vec[j]!;
        return sign * s;
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
