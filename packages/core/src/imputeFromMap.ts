import { SomError } from '@somkit/plugin-api';

/** Options of `SOM.impute`. */
export interface ImputeOptions {
  /**
   * `'blend'` (default): `unitWeight` × the BMU's codebook value + (1 − unitWeight) × the mean of
   * the `neighbors` nearest donor rows that observe the cell's column, donors found through the
   * map (rows whose BMU is among the row's nearest units). `'unit'`: the BMU's codebook value only.
   */
  method?: 'blend' | 'unit';
  /** Donor rows averaged per cell (`'blend'`). Default 5. */
  neighbors?: number;
  /** Weight of the codebook value in `'blend'`, in [0, 1]. Default 0.35 (measured: bench/README.md, imputation). */
  unitWeight?: number;
  /** Donor candidates gathered per row from its nearest units before ranking them. Default 60. */
  candidates?: number;
}

/** Resolved {@link ImputeOptions}. */
export interface ImputeSettings {
  readonly method: 'blend' | 'unit';
  readonly neighbors: number;
  readonly unitWeight: number;
  readonly candidates: number;
}

/** Validates {@link ImputeOptions}. @throws SomError ERR_INVALID_INPUT */
export function imputeSettings(o: ImputeOptions = {}): ImputeSettings {
  const bad = (field: string, expected: string, got: unknown): never => {
    throw new SomError('ERR_INVALID_INPUT', `impute: ${field}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}.`);
  };
  const known = ['method', 'neighbors', 'unitWeight', 'candidates'];
  for (const k of Object.keys(o)) if (!known.includes(k)) bad('options', `only ${known.join(', ')}`, k);
  const method = o.method ?? 'blend';
  if (method !== 'blend' && method !== 'unit') bad('method', "'blend' or 'unit'", method);
  const neighbors = o.neighbors ?? 5;
  if (!Number.isInteger(neighbors) || neighbors < 1) bad('neighbors', 'an integer ≥ 1', neighbors);
  const unitWeight = o.unitWeight ?? 0.35;
  if (typeof unitWeight !== 'number' || !(unitWeight >= 0 && unitWeight <= 1)) bad('unitWeight', 'a number in [0, 1]', unitWeight);
  const candidates = o.candidates ?? 60;
  if (!Number.isInteger(candidates) || candidates < neighbors) bad('candidates', `an integer ≥ neighbors (${neighbors})`, candidates);
  return { method, neighbors, unitWeight, candidates };
}

/**
 * Fills the NaN cells of `x` [n, d] from the map: the BMU's codebook value (`'unit'`), or that
 * blended with the mean of the nearest donor rows of `x` itself that observe the column
 * (`'blend'`; the map is the index: donors are rows mapped to the row's nearest units, ranked by
 * the euclidean distance over the dimensions both observe, rescaled by d / common — scikit-learn's
 * `nan_euclidean`). A cell no donor observes gets the unit value. Observed cells are copied.
 * Deterministic: ties go to the lower row index. O(n · candidates · d) after the search.
 * @param top - [n, k] nearest units of each row (BMU first)
 * @param w - codebook [u, d]
 * @returns [n, d] without NaN
 */
export function imputeFromMap(x: Float32Array, n: number, d: number, top: Int32Array, k: number, w: Float32Array, units: number, s: ImputeSettings): Float32Array {
  const out = new Float32Array(x);
  const isNan = (v: number): boolean => v !== v;
  const byUnit: number[][] = Array.from({ length: units }, () => []);
  for (let i = 0; i < n; i++) byUnit[top[i * k]!]!.push(i);
  const dist = (a: number, b: number): number => {
    let sum = 0;
    let common = 0;
    for (let j = 0; j < d; j++) {
      const p = x[a * d + j]!;
      const q = x[b * d + j]!;
      if (isNan(p) || isNan(q)) continue;
      sum += (p - q) * (p - q);
      common++;
    }
    return common === 0 ? Infinity : (sum * d) / common;
  };
  for (let i = 0; i < n; i++) {
    let holes = false;
    for (let j = 0; j < d && !holes; j++) holes = isNan(x[i * d + j]!);
    if (!holes) continue;
    const bmu = top[i * k]!;
    let ranked: number[] = [];
    if (s.method === 'blend') {
      const cand: number[] = [];
      for (let q = 0; q < k && cand.length < s.candidates; q++) for (const r of byUnit[top[i * k + q]!]!) if (r !== i) cand.push(r);
      const dd = cand.map((r) => dist(i, r));
      ranked = cand.map((_, t) => t).filter((t) => dd[t]! < Infinity).sort((a, b) => dd[a]! - dd[b]! || cand[a]! - cand[b]!).map((t) => cand[t]!);
    }
    for (let j = 0; j < d; j++) {
      if (!isNan(x[i * d + j]!)) continue;
      const unit = w[bmu * d + j]!;
      let sum = 0;
      let m = 0;
      for (let t = 0; t < ranked.length && m < s.neighbors; t++) {
        const v = x[ranked[t]! * d + j]!;
        if (isNan(v)) continue;
        sum += v;
        m++;
      }
      out[i * d + j] = m === 0 ? unit : s.unitWeight * unit + (1 - s.unitWeight) * (sum / m);
    }
  }
  return out;
}
