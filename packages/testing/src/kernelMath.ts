// Plain-JS float64 arithmetic of the engine kernels, shared by `referenceKernels` and the engine
// conformance suite (which follows an engine's own BMU choices where distances tie). Not exported
// from the package index.
import type { NeighborhoodTable } from '@somkit/plugin-api';
import type { VectorDistance } from './jsDistances.js';

/** Rows `[0, n)` of a row-major [n, d] array as plain arrays. */
export function toRows(a: ArrayLike<number>, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const row = new Array<number>(d);
    for (let t = 0; t < d; t++) row[t] = a[i * d + t]!;
    return row;
  });
}

/** [n][u] distances of every sample row to every unit row. */
export function distanceRows(xs: readonly number[][], ws: readonly number[][], dist: VectorDistance): number[][] {
  return xs.map((a) => ws.map((b) => dist(a, b)));
}

/** Unit indices of one distance row, nearest first, ties to the lower index. */
export function ranked(row: readonly number[]): number[] {
  return row.map((_, j) => j).sort((a, b) => row[a]! - row[b]! || a - b);
}

/** The table's weight between units a and b: `values[base[a] + offset[b]]`. */
export function tableWeight(t: NeighborhoodTable, a: number, b: number): number {
  return t.values[t.base[a]! + t.offset[b]!]!;
}

/**
 * One minibatch step in float64: `W ← W∘(1 − Σ_i h(c_i, ·)) + Σ_i h(c_i, ·)·x_i`, with `c_i` the
 * BMU of batch row i. Returns the new [u, d] codebook.
 */
export function stepUpdate(w: ArrayLike<number>, batch: readonly number[][], bmus: readonly number[], t: NeighborhoodTable, u: number, d: number): Float64Array {
  const mass = new Float64Array(u);
  const num = new Float64Array(u * d);
  batch.forEach((x, i) => {
    const c = bmus[i]!;
    for (let q = 0; q < u; q++) {
      const h = tableWeight(t, c, q);
      mass[q]! += h;
      for (let s = 0; s < d; s++) num[q * d + s]! += h * x[s]!;
    }
  });
  const out = new Float64Array(u * d);
  for (let q = 0; q < u; q++) for (let s = 0; s < d; s++) out[q * d + s] = w[q * d + s]! * (1 - mass[q]!) + num[q * d + s]!;
  return out;
}

/**
 * {@link stepUpdate} for a batch with NaN at missing cells: each dimension of a unit moves by the
 * rows that observe it, `W_qs ← W_qs·(1 − Σ_i h(c_i, q)·m_is) + Σ_i h(c_i, q)·m_is·x_is`.
 */
export function maskedStepUpdate(w: ArrayLike<number>, batch: readonly number[][], bmus: readonly number[], t: NeighborhoodTable, u: number, d: number): Float64Array {
  const mass = new Float64Array(u * d);
  const num = new Float64Array(u * d);
  batch.forEach((x, i) => {
    const c = bmus[i]!;
    for (let q = 0; q < u; q++) {
      const h = tableWeight(t, c, q);
      for (let s = 0; s < d; s++) {
        if (Number.isNaN(x[s]!)) continue;
        mass[q * d + s]! += h;
        num[q * d + s]! += h * x[s]!;
      }
    }
  });
  const out = new Float64Array(u * d);
  for (let q = 0; q < u; q++) for (let s = 0; s < d; s++) out[q * d + s] = w[q * d + s]! * (1 - mass[q * d + s]!) + num[q * d + s]!;
  return out;
}

/** {@link neuronSumsOf} for rows with NaN at missing cells: observed values only, plus [u, d] per-dimension counts. */
export function observedNeuronSumsOf(xs: readonly number[][], bmus: readonly number[], u: number, d: number): { sums: Float64Array; counts: Float64Array } {
  const sums = new Float64Array(u * (d + 1));
  const counts = new Float64Array(u * d);
  xs.forEach((x, i) => {
    const c = bmus[i]!;
    for (let s = 0; s < d; s++) {
      if (Number.isNaN(x[s]!)) continue;
      sums[c * (d + 1) + s]! += x[s]!;
      counts[c * d + s]! += 1;
    }
    sums[c * (d + 1) + d]! += 1;
  });
  return { sums, counts };
}

/** [u, d + 1] per-neuron sums in float64: Σ x over the rows whose BMU is the unit, then their count. */
export function neuronSumsOf(xs: readonly number[][], bmus: readonly number[], u: number, d: number): Float64Array {
  const out = new Float64Array(u * (d + 1));
  xs.forEach((x, i) => {
    const at = bmus[i]! * (d + 1);
    for (let s = 0; s < d; s++) out[at + s]! += x[s]!;
    out[at + d]! += 1;
  });
  return out;
}

/** [u, c] = G·m in float64, with `G[a, b]` the table's weight between units a and b. */
export function productOf(t: NeighborhoodTable, m: ArrayLike<number>, u: number, c: number): Float64Array {
  const out = new Float64Array(u * c);
  for (let a = 0; a < u; a++) {
    for (let b = 0; b < u; b++) {
      const h = tableWeight(t, a, b);
      for (let j = 0; j < c; j++) out[a * c + j]! += h * m[b * c + j]!;
    }
  }
  return out;
}
