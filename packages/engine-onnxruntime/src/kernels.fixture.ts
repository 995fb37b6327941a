/**
 * Test fixtures of the kernel tests: data, kernel tables (a plain-JS copy of core's grid offset
 * formula), views with byte offsets, and float64 references of the four kernels. Not shipped.
 */
import type { EngineContext, NeighborhoodTable } from '@somkit/plugin-api';
import { euclidean, sqeuclidean } from '@somkit/kernels';
import { expect } from 'vitest';
import { gridTable, type GridTableSpec } from '@somkit/testing';

/** `n` pseudo-random floats in [−2, 2) (an LCG, so every run sees the same data). */
export function rand(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2);
}

/** An engine context for `units` × `dims` under euclidean (default) or sqeuclidean. */
export function ctxFor(units: number, dims: number, distance: 'euclidean' | 'sqeuclidean' = 'euclidean', backend = 'cpu'): EngineContext {
  return { backend, distance: distance === 'euclidean' ? euclidean() : sqeuclidean(), units, dims };
}

/** A grid and kernel for {@link tableOf} (`@somkit/testing`'s `gridTable` spec). */
export type TableSpec = GridTableSpec;

/**
 * The gaussian kernel table of a grid, as core builds it (`gridOffsets` + `neighborhoodTable`):
 * `@somkit/testing`'s plain-JS copy of the offset formula (its own tests pin it to the grid).
 */
export const tableOf = (spec: TableSpec): NeighborhoodTable => gridTable(spec);

/** The same table with `offset` shuffled together with the unit order of b — no runs, so the engine reads it element by element. */
export function scrambledTable(t: NeighborhoodTable, seed: number): { table: NeighborhoodTable; h: (a: number, b: number) => number } {
  const u = t.base.length;
  const perm = Int32Array.from({ length: u }, (_, i) => i);
  let s = seed;
  for (let i = u - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  // Unit b of the scrambled table is unit perm[b] of the original, on both sides.
  const base = Int32Array.from(perm, (p) => t.base[p]!);
  const offset = Int32Array.from(perm, (p) => t.offset[p]!);
  const table = { values: t.values, base, offset };
  return { table, h: (a, b) => table.values[base[a]! + offset[b]!]! };
}

/** Kernel weight h(a, b) of a table. */
export const hOf = (t: NeighborhoodTable) => (a: number, b: number): number => t.values[t.base[a]! + t.offset[b]!]!;

/** `values` as a view with a byte offset into a larger array filled with `fill`. */
export function view<T extends Float32Array | Int32Array>(values: T, fill: number): T {
  const all = new (values.constructor as new (n: number) => T)(values.length + 8).fill(fill);
  all.set(values, 5);
  return all.subarray(5, 5 + values.length) as T;
}

/** A table whose arrays are views with byte offsets. */
export function viewTable(t: NeighborhoodTable): NeighborhoodTable {
  return { values: view(t.values, Number.NaN), base: view(t.base, 1 << 28), offset: view(t.offset, 1 << 28) };
}

/** Float64 distances of sample rows `x` [n, d] to `w` [u, d]. */
export function distances(x: ArrayLike<number>, w: ArrayLike<number>, n: number, u: number, d: number, sqrt = true): number[][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: u }, (_, c) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[i * d + j]! - w[c * d + j]!) ** 2;
      return sqrt ? Math.sqrt(s) : s;
    }),
  );
}

/**
 * Checks `[n, k]` search results against float64 distances: each returned unit is a true j-th
 * nearest (or tied with it within `tol` relative), with its distance within `tol`.
 */
export function expectSearch(indices: Int32Array, dists: Float32Array, truth: number[][], k: number, tol = 1e-4): void {
  expect(indices.length).toBe(truth.length * k);
  expect(dists.length).toBe(truth.length * k);
  truth.forEach((row, i) => {
    const order = row.map((v, c) => [v, c] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let j = 0; j < k; j++) {
      const unit = indices[i * k + j]!;
      const [best] = order[j]!;
      const close = (a: number, b: number): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
      if (!close(row[unit]!, best)) expect.fail(`sample ${i}, rank ${j}: unit ${unit} at ${row[unit]}, the reference's is unit ${order[j]![1]} at ${best}`);
      if (!close(dists[i * k + j]!, row[unit]!)) expect.fail(`sample ${i}, rank ${j}: distance ${dists[i * k + j]} for unit ${unit}, the reference gives ${row[unit]}`);
    }
  });
}

/** Float64 per-neuron sums [u, d + 1] of `x` [n, d] by `bmus`. */
export function sumsOf(x: ArrayLike<number>, bmus: ArrayLike<number>, n: number, u: number, d: number): Float64Array {
  const s = new Float64Array(u * (d + 1));
  for (let i = 0; i < n; i++) {
    const c = bmus[i]!;
    for (let j = 0; j < d; j++) s[c * (d + 1) + j] = s[c * (d + 1) + j]! + x[i * d + j]!;
    s[c * (d + 1) + d] = s[c * (d + 1) + d]! + 1;
  }
  return s;
}

/** One float64 minibatch step: `w + Hᵀ X − (Σ_b H)∘w` for rows `xs` [b, d] with BMUs `bmus`. */
export function stepOf(w: ArrayLike<number>, xs: ArrayLike<number>, bmus: ArrayLike<number>, h: (a: number, b: number) => number, u: number, d: number): Float64Array {
  const b = bmus.length;
  const out = Float64Array.from(w);
  for (let c = 0; c < u; c++) {
    let hs = 0;
    for (let i = 0; i < b; i++) {
      const hv = h(bmus[i]!, c);
      hs += hv;
      for (let j = 0; j < d; j++) out[c * d + j] = out[c * d + j]! + hv * xs[i * d + j]!;
    }
    for (let j = 0; j < d; j++) out[c * d + j] = out[c * d + j]! - hs * w[c * d + j]!;
  }
  return out;
}

/** Float64 `G·m` [u, c]. */
export function productOf(h: (a: number, b: number) => number, m: ArrayLike<number>, u: number, c: number): Float64Array {
  const out = new Float64Array(u * c);
  for (let a = 0; a < u; a++) {
    for (let b = 0; b < u; b++) {
      const hv = h(a, b);
      if (hv !== 0) for (let j = 0; j < c; j++) out[a * c + j] = out[a * c + j]! + hv * m[b * c + j]!;
    }
  }
  return out;
}

/** Rows `rows` of `x` [n, d] as one array [rows.length, d]. */
export function pick(x: Float32Array, rows: ArrayLike<number>, d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i]! * d, (rows[i]! + 1) * d), i * d);
  return out;
}

/** Fails unless `got` equals `expected` within `tol` · max(1, |expected|) everywhere. */
export function expectNear(got: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(got[i]! - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)))) expect.fail(`${what}[${i}] is ${got[i]}, the float64 reference gives ${expected[i]}`);
  }
}

/** Fails unless the two arrays hold the same bits. */
export function expectSameBits(a: Float32Array | Int32Array, b: Float32Array | Int32Array, what: string): void {
  expect(b.length, what).toBe(a.length);
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) expect.fail(`${what}: element ${Math.floor(i / 4)} differs (${a[Math.floor(i / 4)]} vs ${b[Math.floor(i / 4)]})`);
  }
}
