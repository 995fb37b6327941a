import * as tf from '@tensorflow/tfjs-core';
import type { DistancePlugin, SearchBackend, SearchContext, SearchResult } from '@somkit/plugin-api';
import { describe, it } from 'vitest';
import { expectNoLeaks } from '../leaks.js';
import { checkInputsIntact, checkMetadata, created, fail, randomMatrix, rng, rows } from './util.js';

/** Options of {@link runSearchConformance}. */
export interface SearchConformanceOptions {
  /** The distance the search runs under (`ctx.distance`). */
  readonly distance: DistancePlugin;
  /** Title of the `describe` block (default `search conformance: <name>`). */
  readonly title?: string;
  /** Samples (default 40), units (default 24) and features (default 4) of the generated data. */
  readonly n?: number;
  readonly units?: number;
  readonly dims?: number;
  /** Tolerance on distances, scaled by max(1, |expected|) (default 1e-3). */
  readonly tol?: number;
  /**
   * The exact distance of two vectors in plain JS, for the brute force the results are checked
   * against. Default: the values of `distance.pairwise` (ranked in plain JS).
   */
  readonly reference?: (a: readonly number[], b: readonly number[]) => number;
  readonly seed?: number;
}

interface Fixture {
  x: number[][];
  w: number[][];
  /** [n][u] reference distances. */
  d: number[][];
  /** [n][u] unit indices sorted by reference distance. */
  order: number[][];
}

/**
 * Well-separated data: units at least 0.8 apart in [0.5, 5]^d, each sample within ±0.1 per
 * feature of one unit, so the nearest unit is never a near tie.
 */
function fixture(opts: SearchConformanceOptions): Fixture {
  const next = rng(opts.seed ?? 7);
  const u = opts.units ?? 24;
  const dims = opts.dims ?? 4;
  const n = opts.n ?? 40;
  const w: number[][] = [];
  let guard = 0;
  while (w.length < u) {
    const c = Array.from({ length: dims }, () => 0.5 + 4.5 * next());
    const far = w.every((o) => Math.hypot(...o.map((v, i) => v - (c[i] as number))) >= 0.8);
    if (far || ++guard > 100_000) w.push(c);
  }
  const x = Array.from({ length: n }, (_, i) => (w[(i * 7) % u] as number[]).map((v) => v + 0.2 * (next() - 0.5)));
  const d = referenceDistances(opts, x, w);
  const order = d.map((r) => r.map((_, j) => j).sort((a, b) => (r[a] as number) - (r[b] as number) || a - b));
  return { x, w, d, order };
}

/** [samples][units] reference distances: `opts.reference` in plain JS, else the distance plugin's `pairwise`. */
function referenceDistances(opts: SearchConformanceOptions, xs: number[][], ws: number[][]): number[][] {
  const ref = opts.reference;
  if (ref !== undefined) return xs.map((a) => ws.map((b) => ref(a, b)));
  return tf.tidy(() => rows(opts.distance.pairwise(tf.tensor2d(xs), tf.tensor2d(ws))));
}

/** Relative closeness at the suite's tolerance: |v − e| ≤ tol·max(1, |e|). */
function closeness(opts: SearchConformanceOptions): (v: number, e: number) => boolean {
  const tol = opts.tol ?? 1e-3;
  return (v, e) => Math.abs(v - e) <= tol * Math.max(1, Math.abs(e));
}

/** A symmetric [u, u] kernel table with the step size folded in, like core's (α/b)·h(r_ij): 0.05 on the diagonal, 0.05·U(0, 1) off it. */
function stepKernel(u: number, next: () => number): Float32Array {
  const kernel = new Float32Array(u * u);
  for (let i = 0; i < u; i++) {
    kernel[i * u + i] = 0.05;
    for (let j = 0; j < i; j++) kernel[i * u + j] = kernel[j * u + i] = 0.05 * next();
  }
  return kernel;
}

/** Rows of PAD_ROWS NaN rows before the fixture's samples, so the hooks get views with an offset. */
const PAD_ROWS = 3;

/** The fixture's samples [n, d] after {@link PAD_ROWS} NaN rows. */
function paddedSamples(f: Fixture, dims: number): Float32Array {
  const all = new Float32Array((PAD_ROWS + f.x.length) * dims).fill(Number.NaN);
  all.set(f.x.flat(), PAD_ROWS * dims);
  return all;
}

/** Fails unless every named input still equals its copy taken before the call. */
function checkUntouched(named: ReadonlyArray<readonly [string, Float32Array | Int32Array]>, copies: ReadonlyArray<Float32Array | Int32Array>, fail1: (msg: string) => never, where: string): void {
  named.forEach(([name, a], i) => {
    if (!a.every((v, j) => Object.is(v, copies[i]![j]))) fail1(`${where}: modified its input ${name}`);
  });
}

function context(opts: SearchConformanceOptions, f: Fixture): SearchContext {
  return { backend: tf.getBackend(), distance: opts.distance, units: f.w.length, dims: f.w[0]?.length ?? 0 };
}

/** Which entry point of the backend a check calls. */
type Mode = 'sync' | 'async';

const entry = (mode: Mode): string => (mode === 'sync' ? 'search' : 'searchAsync');

/** Runs the search like the caller would (rebuild first), reads the result, disposes everything. */
async function searchOnce(
  b: SearchBackend,
  opts: SearchConformanceOptions,
  f: Fixture,
  k: number,
  mode: Mode = 'sync',
): Promise<{ indices: number[][]; distances: number[][]; dtype: string; shapes: [number[], number[]] }> {
  const x = tf.tensor2d(f.x);
  const w = tf.tensor2d(f.w);
  try {
    await b.rebuild?.(w);
    const r = mode === 'sync' ? b.search(x, w, k, context(opts, f)) : await asyncSearch(b)(x, w, k, context(opts, f));
    try {
      return { indices: rows(r.indices), distances: rows(r.distances), dtype: `${r.indices.dtype}/${r.distances.dtype}`, shapes: [r.indices.shape, r.distances.shape] };
    } finally {
      tf.dispose([r.indices, r.distances]);
    }
  } finally {
    x.dispose();
    w.dispose();
  }
}

/** The backend's `searchAsync`, bound; fails when it has none. */
function asyncSearch(b: SearchBackend): NonNullable<SearchBackend['searchAsync']> {
  const fn = b.searchAsync;
  if (typeof fn !== 'function') fail(`search '${b.name}'`, 'has no searchAsync() function');
  return fn.bind(b);
}

function checkResult(b: SearchBackend, opts: SearchConformanceOptions, f: Fixture, k: number, r: Awaited<ReturnType<typeof searchOnce>>, mode: Mode = 'sync'): void {
  const who = mode === 'sync' ? `search '${b.name}' (k = ${k})` : `search '${b.name}' searchAsync (k = ${k})`;
  const n = f.x.length;
  const tol = opts.tol ?? 1e-3;
  for (const [label, shape] of [['indices', r.shapes[0]], ['distances', r.shapes[1]]] as const) {
    if (shape.length !== 2 || shape[0] !== n || shape[1] !== k) fail(who, `${label} must have shape [${n}, ${k}], got [${shape.join(', ')}]`);
  }
  if (r.dtype !== 'int32/float32') fail(who, `expected int32 indices and float32 distances, got ${r.dtype}`);
  for (let i = 0; i < n; i++) {
    const idx = r.indices[i] ?? [];
    const dist = r.distances[i] ?? [];
    const truth = f.d[i] ?? [];
    const best = (f.order[i] ?? []).slice(0, k).map((j) => truth[j] as number);
    if (new Set(idx).size !== idx.length) fail(who, `row ${i} repeats a unit: [${idx.join(', ')}]`);
    for (let j = 0; j < k; j++) {
      const unit = idx[j] as number;
      if (!(Number.isInteger(unit) && unit >= 0 && unit < f.w.length)) fail(who, `row ${i} has unit index ${unit}, outside [0, ${f.w.length})`);
      const scale = Math.max(1, Math.abs(best[j] as number));
      // The j-th returned unit is truly a j-th nearest (ties allowed) …
      if (Math.abs((truth[unit] as number) - (best[j] as number)) > tol * scale) {
        fail(who, `row ${i}, rank ${j}: returned unit ${unit} at true distance ${truth[unit]}, but the exact brute force has unit ${f.order[i]?.[j]} at ${best[j]}`);
      }
      // … and the reported distance is its distance.
      if (Math.abs((dist[j] as number) - (truth[unit] as number)) > tol * scale) {
        fail(who, `row ${i}, rank ${j}: reported distance ${dist[j]} for unit ${unit}, the exact one is ${truth[unit]}`);
      }
      if (j > 0 && (dist[j] as number) < (dist[j - 1] as number) - tol * scale) fail(who, `row ${i}: distances are not ascending: [${dist.join(', ')}]`);
    }
  }
}

type Skip = (note?: string) => never;

function supported(b: SearchBackend, opts: SearchConformanceOptions, f: Fixture, skip: Skip): void {
  const s = b.supports(context(opts, f));
  if (s !== true) skip(`supports() refused this context: ${s}`);
}

/**
 * Shared part of the array-based engine-hook checks: calls `run` on the fixture's samples as a view
 * into a larger array (whole, then a 7-row tail) for k = 1 and 2, and checks no tensors are left
 * behind, the inputs (`x` and `inputs`) are untouched, and `indices`/`distances` are [size, k]
 * with the exact brute force's units and distances; then `check` tests the hook's own output.
 */
async function hookCases<R extends { indices: Int32Array; distances: Float32Array }>(
  who: string,
  opts: SearchConformanceOptions,
  f: Fixture,
  inputs: Record<string, Float32Array>,
  run: (x: Float32Array, size: number, k: number) => Promise<R>,
  check: (out: R, rows: number[], where: string, fail1: (msg: string) => never, close: (v: number, e: number) => boolean) => void,
): Promise<void> {
  const dims = f.w[0]?.length ?? 0;
  const close = closeness(opts);
  const fail1 = (msg: string): never => fail(who, msg);
  const all = paddedSamples(f, dims);
  for (const [first, size] of [[0, f.x.length], [f.x.length - 7, 7]] as const) {
    for (const k of [1, Math.min(2, f.w.length)]) {
      const x = all.subarray((PAD_ROWS + first) * dims, (PAD_ROWS + first + size) * dims);
      const named: Array<[string, Float32Array]> = [['x', x], ...Object.entries(inputs)];
      const copies = named.map(([, a]) => a.slice());
      const out = await expectNoLeaks(() => run(x, size, k), `${who} leak check`);
      const where = `(rows ${first}..${first + size - 1}, k = ${k})`;
      checkUntouched(named, copies, fail1, where);
      if (!(out.indices instanceof Int32Array) || out.indices.length !== size * k) fail1(`${where}: expected indices as an Int32Array of ${size * k} values`);
      if (!(out.distances instanceof Float32Array) || out.distances.length !== size * k) fail1(`${where}: expected distances as a Float32Array of ${size * k} values`);
      const rows = Array.from({ length: size }, (_, i) => first + i);
      rows.forEach((row, i) => {
        for (let j = 0; j < k; j++) {
          const unit = out.indices[i * k + j]!;
          if (unit !== f.order[row]![j]) fail1(`${where}: sample ${row}, rank ${j}: returned unit ${unit}, the exact brute force finds ${f.order[row]![j]}`);
          const e = f.d[row]![unit]!;
          if (!close(out.distances[i * k + j]!, e)) fail1(`${where}: sample ${row}, rank ${j}: distance ${out.distances[i * k + j]}, expected ${e}`);
        }
      });
      check(out, rows, where, fail1, close);
    }
  }
}

/** The checks behind {@link runSearchConformance}, one per test; each throws on failure. */
export const searchChecks = {
  metadata(b: SearchBackend): void {
    checkMetadata('search', b);
    const who = `search '${b.name}'`;
    if (typeof b.priority !== 'number' || !Number.isFinite(b.priority)) fail(who, `priority must be a finite number, got ${String(b.priority)}`);
    for (const m of ['supports', 'search'] as const) if (typeof b[m] !== 'function') fail(who, `has no ${m}() function`);
    for (const m of ['searchAsync', 'product', 'minibatchStep', 'minibatchSteps', 'neuronSums', 'rebuild', 'dispose'] as const) if (b[m] !== undefined && typeof b[m] !== 'function') fail(who, `${m} must be a function when present`);
  },

  supports(b: SearchBackend, opts: SearchConformanceOptions): true | string {
    const s = b.supports(context(opts, fixture(opts)));
    if (s !== true && (typeof s !== 'string' || s.length === 0)) fail(`search '${b.name}'`, `supports() must return true or a non-empty reason string, got ${JSON.stringify(s)}`);
    return s;
  },

  /** k = 1 finds the exact nearest unit; `mode: 'async'` checks `searchAsync` instead of `search`. */
  async nearest(b: SearchBackend, opts: SearchConformanceOptions, skip?: Skip, mode: Mode = 'sync'): Promise<void> {
    const f = fixture(opts);
    if (skip) supported(b, opts, f, skip);
    const r = await searchOnce(b, opts, f, 1, mode);
    checkResult(b, opts, f, 1, r, mode);
    r.indices.forEach((idx, i) => {
      if (idx[0] !== f.order[i]?.[0]) fail(`search '${b.name}' ${entry(mode)} (k = 1)`, `row ${i}: found unit ${idx[0]}, the exact brute force finds ${f.order[i]?.[0]}`);
    });
  },

  /** k nearest units as an exact brute force; `mode: 'async'` checks `searchAsync`. */
  async topK(b: SearchBackend, opts: SearchConformanceOptions, k: number, skip?: Skip, mode: Mode = 'sync'): Promise<void> {
    const f = fixture(opts);
    if (skip) supported(b, opts, f, skip);
    const kk = Math.min(k, f.w.length);
    const r = await searchOnce(b, opts, f, kk, mode);
    checkResult(b, opts, f, kk, r, mode);
  },

  /**
   * `searchAsync` leaves exactly its two result tensors (for k = 1 and 3), and its inputs intact
   * (not disposed, values unchanged).
   */
  async noLeaksAsync(b: SearchBackend, opts: SearchConformanceOptions, skip?: Skip): Promise<void> {
    const f = fixture(opts);
    if (skip) supported(b, opts, f, skip);
    const who = `search '${b.name}' searchAsync`;
    const run = asyncSearch(b);
    const x = tf.tensor2d(f.x);
    const w = tf.tensor2d(f.w);
    try {
      await b.rebuild?.(w);
      const snapshot = [['x', x, x.dataSync().slice()], ['w', w, w.dataSync().slice()]] as const;
      await expectNoLeaks(async () => {
        for (const k of [1, 3]) {
          const before = tf.memory().numTensors;
          const r = await run(x, w, Math.min(k, f.w.length), context(opts, f));
          const added = tf.memory().numTensors - before;
          tf.dispose([r.indices, r.distances]);
          if (added !== 2) fail(who, `searchAsync(k = ${k}) must leave exactly its two result tensors behind, left ${added}`);
        }
      }, `${who} leak check`);
      checkInputsIntact(who, snapshot);
    } finally {
      x.dispose();
      w.dispose();
    }
  },

  /**
   * The `product(a, b)` engine hook equals `tf.matMul(a, b)` (same tolerance as the distances,
   * scaled by max(1, |expected|)) on the two shapes core uses: `H·X` [u, n]×[n, d] (minibatch)
   * and `G·[S | m]` [u, u]×[u, d + 1] (batch-map); float32 [m, n] result, exactly one tensor
   * left behind, inputs intact.
   */
  async product(b: SearchBackend, opts: SearchConformanceOptions, skip?: Skip): Promise<void> {
    const f = fixture(opts);
    if (skip) supported(b, opts, f, skip);
    const who = `search '${b.name}' product`;
    const fn = b.product;
    if (typeof fn !== 'function') fail(`search '${b.name}'`, 'has no product() function');
    const next = rng((opts.seed ?? 7) + 1);
    const u = f.w.length;
    const n = f.x.length;
    const dims = f.w[0]?.length ?? 0;
    // H-like non-negative kernel weights times samples; then a G-like [u, u] times [S | m].
    const cases: Array<[number[][], number[][]]> = [
      [randomMatrix(next, u, n, 0, 1), f.x],
      [randomMatrix(next, u, u, 0, 1), randomMatrix(next, u, dims + 1, -5, 5)],
    ];
    const tol = opts.tol ?? 1e-3;
    for (const [av, bv] of cases) {
      const a = tf.tensor2d(av);
      const bt = tf.tensor2d(bv);
      const expected = tf.tidy(() => rows(tf.matMul(a, bt)));
      try {
        const snapshot = [['a', a, a.dataSync().slice()], ['b', bt, bt.dataSync().slice()]] as const;
        const got = await expectNoLeaks(async () => {
          const before = tf.memory().numTensors;
          const r = await fn.call(b, a, bt);
          const added = tf.memory().numTensors - before;
          const out = { shape: r.shape, dtype: r.dtype, values: rows(r) };
          r.dispose();
          if (added !== 1) fail(who, `product() must leave exactly its result tensor behind, left ${added}`);
          return out;
        }, `${who} leak check`);
        checkInputsIntact(who, snapshot);
        const [m, c] = [av.length, bv[0]?.length ?? 0];
        if (got.shape.length !== 2 || got.shape[0] !== m || got.shape[1] !== c) fail(who, `expected shape [${m}, ${c}], got [${got.shape.join(', ')}]`);
        if (got.dtype !== 'float32') fail(who, `expected a float32 result, got ${got.dtype}`);
        expected.forEach((row, i) =>
          row.forEach((e, j) => {
            const v = got.values[i]?.[j] as number;
            if (!(Math.abs(v - e) <= tol * Math.max(1, Math.abs(e)))) fail(who, `[${m}, ${av[0]?.length}]×[${bv.length}, ${c}]: element [${i}, ${j}] is ${v}, tf.matMul gives ${e}`);
          }),
        );
      } finally {
        a.dispose();
        bt.dispose();
      }
    }
  },

  /**
   * The `minibatchStep` engine hook does one step of the minibatch rule exactly as the reference
   * in plain JS: same best units (k = 1 and 2) and distances as the exact brute force; new codebook
   * `W∘(1 − Hᵀ1) + Hᵀ X` with `H` the kernel rows at each sample's BMU (same tolerance as the
   * distances); arrays of the right lengths; inputs untouched; no tensors left behind. The batch is
   * passed as a view into a larger array (as core does), once whole and once as a 7-row tail.
   */
  async minibatchStep(b: SearchBackend, opts: SearchConformanceOptions, skip?: Skip): Promise<void> {
    const f = fixture(opts);
    if (skip) supported(b, opts, f, skip);
    const fn = b.minibatchStep;
    if (typeof fn !== 'function') fail(`search '${b.name}'`, 'has no minibatchStep() function');
    const u = f.w.length;
    const dims = f.w[0]?.length ?? 0;
    const weights = Float32Array.from(f.w.flat());
    const kernel = stepKernel(u, rng((opts.seed ?? 7) + 2));
    await hookCases(`search '${b.name}' minibatchStep`, opts, f, { weights, kernel },
      (x, size, k) => fn.call(b, { x, weights, kernel, batch: size, units: u, dims, k }, context(opts, f)),
      (out, rows, where, fail1, close) => {
        if (!(out.weights instanceof Float32Array) || out.weights.length !== u * dims) fail1(`${where}: expected weights as a Float32Array of ${u * dims} values`);
        const mass = new Float64Array(u);
        const num = new Float64Array(u * dims);
        for (const row of rows) {
          const c = f.order[row]![0]!;
          for (let q = 0; q < u; q++) {
            const h = kernel[c * u + q]!;
            mass[q] = mass[q]! + h;
            for (let t = 0; t < dims; t++) num[q * dims + t] = num[q * dims + t]! + h * f.x[row]![t]!;
          }
        }
        for (let q = 0; q < u; q++) {
          for (let t = 0; t < dims; t++) {
            const e = weights[q * dims + t]! * (1 - mass[q]!) + num[q * dims + t]!;
            const v = out.weights[q * dims + t]!;
            if (!close(v, e)) fail1(`${where}: new weight [${q}, ${t}] is ${v}, the reference step gives ${e}`);
          }
        }
      });
  },

  /**
   * The `minibatchSteps` engine hook runs several minibatch steps as the plain-JS reference does
   * them one after the other: for each step, the rows `rows[j·b … (j+1)·b)` of `x`, best units
   * that are true nearest units (ties allowed) of the codebook that step starts from, with their
   * distances; the final codebook as the reference steps (each applying `W∘(1 − Hᵀ1) + Hᵀ X` with
   * the returned BMUs); arrays of the right lengths; inputs (`x`, `rows`, `weights`, `kernel`)
   * untouched; no tensors left behind. Cases: 5 steps of 8 over a shuffled order of all samples,
   * and one step of a 7-row tail picked out of order; `x` is a view with an offset; k = 1 and 2.
   */
  async minibatchSteps(b: SearchBackend, opts: SearchConformanceOptions, skip?: Skip): Promise<void> {
    const f = fixture(opts);
    if (skip) supported(b, opts, f, skip);
    const fn = b.minibatchSteps;
    const who = `search '${b.name}' minibatchSteps`;
    if (typeof fn !== 'function') fail(`search '${b.name}'`, 'has no minibatchSteps() function');
    const u = f.w.length;
    const dims = f.w[0]?.length ?? 0;
    const n = f.x.length;
    const close = closeness(opts);
    const fail1 = (msg: string): never => fail(who, msg);
    const weights = Float32Array.from(f.w.flat());
    const next = rng((opts.seed ?? 7) + 3);
    const kernel = stepKernel(u, next);
    const x = paddedSamples(f, dims).subarray(PAD_ROWS * dims);
    const shuffled = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const batch = Math.max(1, Math.floor(n / 5));
    const tail = Int32Array.from({ length: Math.min(7, n) }, (_, i) => (n - 1 - 3 * i + 3 * n) % n);
    const cases: Array<[string, Int32Array, number, number]> = [
      [`5 steps of ${batch}`, shuffled.subarray(0, 5 * batch), batch, 5],
      [`1 step of ${tail.length}`, tail, tail.length, 1],
    ];
    for (const [label, order, size, steps] of cases) {
      for (const k of [1, Math.min(2, u)]) {
        const where = `(${label}, k = ${k})`;
        const named: Array<[string, Float32Array | Int32Array]> = [['x', x], ['rows', order], ['weights', weights], ['kernel', kernel]];
        const copies = named.map(([, a]) => a.slice());
        const out = await expectNoLeaks(
          () => fn.call(b, { x, rows: order, weights, kernel, batch: size, steps, samples: n, units: u, dims, k }, context(opts, f)),
          `${who} leak check`,
        );
        checkUntouched(named, copies, fail1, where);
        const rowsOut = steps * size;
        if (!(out.weights instanceof Float32Array) || out.weights.length !== u * dims) fail(who, `${where}: expected weights as a Float32Array of ${u * dims} values`);
        if (!(out.indices instanceof Int32Array) || out.indices.length !== rowsOut * k) fail(who, `${where}: expected indices as an Int32Array of ${rowsOut * k} values`);
        if (!(out.distances instanceof Float32Array) || out.distances.length !== rowsOut * k) fail(who, `${where}: expected distances as a Float32Array of ${rowsOut * k} values`);
        // The reference, step by step in float64, from the same starting codebook.
        const w = Array.from(weights);
        for (let s = 0; s < steps; s++) {
          const wRows = Array.from({ length: u }, (_, q) => w.slice(q * dims, (q + 1) * dims));
          const mass = new Float64Array(u);
          const num = new Float64Array(u * dims);
          const stepRows = Array.from(order.subarray(s * size, (s + 1) * size));
          const truths = referenceDistances(opts, stepRows.map((r) => f.x[r]!), wRows);
          for (let i = s * size; i < (s + 1) * size; i++) {
            const row = order[i]!;
            const truth = truths[i - s * size]!;
            const best = truth.map((_, q) => q).sort((a, c) => truth[a]! - truth[c]! || a - c);
            for (let j = 0; j < k; j++) {
              const unit = out.indices[i * k + j]!;
              if (!(Number.isInteger(unit) && unit >= 0 && unit < u)) fail(who, `${where}: step ${s}, sample ${row}, rank ${j}: unit index ${unit}, outside [0, ${u})`);
              if (!close(truth[unit]!, truth[best[j]!]!)) fail(who, `${where}: step ${s}, sample ${row}, rank ${j}: returned unit ${unit} at distance ${truth[unit]}, the reference step finds unit ${best[j]} at ${truth[best[j]!]}`);
              if (!close(out.distances[i * k + j]!, truth[unit]!)) fail(who, `${where}: step ${s}, sample ${row}, rank ${j}: distance ${out.distances[i * k + j]}, expected ${truth[unit]}`);
            }
            const c = out.indices[i * k]!;
            for (let q = 0; q < u; q++) {
              const h = kernel[c * u + q]!;
              mass[q] = mass[q]! + h;
              for (let t = 0; t < dims; t++) num[q * dims + t] = num[q * dims + t]! + h * f.x[row]![t]!;
            }
          }
          for (let q = 0; q < u; q++) for (let t = 0; t < dims; t++) w[q * dims + t] = w[q * dims + t]! * (1 - mass[q]!) + num[q * dims + t]!;
        }
        w.forEach((e, i) => {
          const v = out.weights[i]!;
          if (!close(v, e)) fail(who, `${where}: final weight [${Math.floor(i / dims)}, ${i % dims}] is ${v}, the reference steps give ${e}`);
        });
      }
    }
  },

  /**
   * The `neuronSums` engine hook: the same best units (k = 1 and 2) and distances as the exact
   * brute force, and `[S | m]` [u, d + 1] — Σ x and the count per BMU — as a plain-JS reference
   * (same tolerance as the distances); arrays of the right lengths; inputs untouched; no tensors
   * left behind. The samples are passed as a view into a larger array, whole and as a 7-row tail.
   */
  async neuronSums(b: SearchBackend, opts: SearchConformanceOptions, skip?: Skip): Promise<void> {
    const f = fixture(opts);
    if (skip) supported(b, opts, f, skip);
    const fn = b.neuronSums;
    if (typeof fn !== 'function') fail(`search '${b.name}'`, 'has no neuronSums() function');
    const u = f.w.length;
    const dims = f.w[0]?.length ?? 0;
    const weights = Float32Array.from(f.w.flat());
    await hookCases(`search '${b.name}' neuronSums`, opts, f, { weights },
      (x, size, k) => fn.call(b, { x, weights, samples: size, units: u, dims, k }, context(opts, f)),
      (out, rows, where, fail1, close) => {
        if (!(out.sums instanceof Float32Array) || out.sums.length !== u * (dims + 1)) fail1(`${where}: expected sums as a Float32Array of ${u * (dims + 1)} values ([u, d + 1])`);
        const ref = new Float64Array(u * (dims + 1));
        for (const row of rows) {
          const at = f.order[row]![0]! * (dims + 1);
          for (let t = 0; t < dims; t++) ref[at + t] = ref[at + t]! + f.x[row]![t]!;
          ref[at + dims] = ref[at + dims]! + 1;
        }
        ref.forEach((e, i) => {
          const v = out.sums[i]!;
          if (!close(v, e)) fail1(`${where}: sums[${Math.floor(i / (dims + 1))}, ${i % (dims + 1)}] is ${v}, the reference gives ${e}`);
        });
      });
  },

  async noLeaks(b: SearchBackend, opts: SearchConformanceOptions, skip?: Skip): Promise<void> {
    const f = fixture(opts);
    if (skip) supported(b, opts, f, skip);
    const who = `search '${b.name}'`;
    const x = tf.tensor2d(f.x);
    const w = tf.tensor2d(f.w);
    try {
      // Index state built by rebuild() is the backend's to keep; only search() is checked.
      await b.rebuild?.(w);
      const snapshot = [['x', x, x.dataSync().slice()], ['w', w, w.dataSync().slice()]] as const;
      await expectNoLeaks(() => {
        for (const k of [1, 3]) {
          const { value, added } = created(() => b.search(x, w, k, context(opts, f)));
          tf.dispose([value.indices, value.distances]);
          if (added !== 2) fail(who, `search(k = ${k}) must leave exactly its two result tensors behind, left ${added}`);
        }
        const kept = tf.tidy(() => {
          const r: SearchResult = b.search(x, w, 2, context(opts, f));
          return [r.indices, r.distances];
        });
        if (kept.some((t) => t.isDisposed)) fail(who, 'a result returned from tf.tidy was disposed');
        tf.dispose(kept);
      }, `${who} leak check`);
      checkInputsIntact(who, snapshot);
    } finally {
      x.dispose();
      w.dispose();
    }
  },
};

/**
 * The conformance suite for a best-matching-unit search backend, as a vitest `describe` block on
 * the current backend. Results are checked against an exact brute force computed in the suite on
 * well-separated data: same unit for k = 1; for k = 3 and k = u, each returned unit is a true
 * j-th nearest with its true distance, ascending; int32 indices and float32 distances of shape
 * [n, k]; no leaks, inputs untouched; `supports()` returns true or a reason (when it refuses
 * the context, the search tests are skipped with that reason). A backend with `searchAsync` gets
 * the same result and leak checks through it, one with the `product` engine hook is checked
 * against `tf.matMul`, and ones with `minibatchStep`, `minibatchSteps` or `neuronSums` against plain-JS references.
 *
 * ```ts
 * describeBackends(['cpu', 'wasm'], () => runSearchConformance(myIndex(), { distance: euclidean() }));
 * ```
 */
export function runSearchConformance(backend: SearchBackend, opts: SearchConformanceOptions): void {
  describe(opts.title ?? `search conformance: ${backend.name}`, () => {
    it('is a frozen search plugin (kind, name, apiVersion 1 or 2, priority, JSON options)', () => searchChecks.metadata(backend));
    it('supports(ctx) returns true or a reason string', () => {
      searchChecks.supports(backend, opts);
    });
    it('k = 1 finds the same unit as an exact brute force', ({ skip }) => searchChecks.nearest(backend, opts, skip));
    it('k = 3: [n, 3] int32 indices, ascending distances, as the brute force', ({ skip }) => searchChecks.topK(backend, opts, 3, skip));
    it('k = u ranks every unit', ({ skip }) => searchChecks.topK(backend, opts, opts.units ?? 24, skip));
    it('leaves no tensors behind, is tidy-safe and leaves its inputs untouched', ({ skip }) => searchChecks.noLeaks(backend, opts, skip));
    if (typeof backend.searchAsync === 'function') {
      it('searchAsync: k = 1 finds the same unit as an exact brute force', ({ skip }) => searchChecks.nearest(backend, opts, skip, 'async'));
      it('searchAsync: k = 3 as the brute force', ({ skip }) => searchChecks.topK(backend, opts, 3, skip, 'async'));
      it('searchAsync: k = u ranks every unit', ({ skip }) => searchChecks.topK(backend, opts, opts.units ?? 24, skip, 'async'));
      it('searchAsync: leaves only its result tensors and its inputs untouched', ({ skip }) => searchChecks.noLeaksAsync(backend, opts, skip));
    }
    if (typeof backend.product === 'function') {
      it('product(a, b) equals tf.matMul for H·X and G·[S | m] shapes', ({ skip }) => searchChecks.product(backend, opts, skip));
    }
    if (typeof backend.neuronSums === 'function') {
      it('neuronSums: best units, distances and per-neuron sums as a plain-JS reference', ({ skip }) => searchChecks.neuronSums(backend, opts, skip));
    }
    if (typeof backend.minibatchStep === 'function') {
      it('minibatchStep: best units, distances and the updated codebook as a plain-JS reference step', ({ skip }) => searchChecks.minibatchStep(backend, opts, skip));
    }
    if (typeof backend.minibatchSteps === 'function') {
      it('minibatchSteps: several steps over picked rows as the plain-JS reference steps', ({ skip }) => searchChecks.minibatchSteps(backend, opts, skip));
    }
  });
}
