import * as tf from '@tensorflow/tfjs-core';
import {
  KERNEL_NAMES,
  defineDistance,
  type DistancePlugin,
  type Engine,
  type EngineContext,
  type EngineKernels,
  type EngineSession,
  type GivenSearch,
  type KernelName,
  type NeighborhoodTable,
} from '@somkit/plugin-api';
import { describe, it } from 'vitest';
import { gridTable } from '../gridTable.js';
import { JS_DISTANCES, JS_MASKED_DISTANCES, type VectorDistance } from '../jsDistances.js';
import { maskedStepUpdate, neuronSumsOf, observedNeuronSumsOf, productOf, ranked, stepUpdate, toRows } from '../kernelMath.js';
import { checkMetadata, fail, rng, rows as tensorRows } from './util.js';

/** Options of {@link runEngineConformance}. */
export interface EngineConformanceOptions {
  /** Title of the `describe` block (default `engine conformance: <name>`). */
  readonly title?: string;
  /**
   * The distance of the context (`ctx.distance`). Default: a euclidean distance plugin named
   * `'euclidean'` (engines usually look only at the name).
   */
  readonly distance?: DistancePlugin;
  /**
   * The exact distance of two vectors in plain JS (float64) the references use. Default: built in
   * for euclidean, sqeuclidean, manhattan, chebyshev and cosine (by `distance.name`), otherwise
   * the values of `distance.pairwise`.
   */
  readonly reference?: VectorDistance;
  /** `ctx.backend` (default `tf.getBackend()`). */
  readonly backend?: string;
  /** Grid of the kernel tables (default 4 × 6 = 24 units; an even row count adds a toroidal hexagonal table). */
  readonly rows?: number;
  readonly cols?: number;
  /** Features (default 5) and samples (default 40, at least 8) of the generated data. */
  readonly dims?: number;
  readonly n?: number;
  /** Tolerance on distances, sums, codebooks and products, scaled by max(1, |expected|) (default 1e-3). */
  readonly tol?: number;
  readonly seed?: number;
}

type Skip = (note?: string) => never;
type Fail1 = (msg: string) => never;
type Close = (v: number, e: number) => boolean;
type Typed = Float32Array | Int32Array;

/** The learning rate folded into the minibatch tables (α / b, as core does). */
const ALPHA = 0.5;
/** Elements before and after every input view, so each input is a view with a byte offset. */
const PAD_BEFORE = 5;
const PAD_AFTER = 3;
/** Rows of the shorter last batch. */
const TAIL = 7;

/** The default context distance: euclidean under its registry name. */
const euclideanPlugin = defineDistance('euclidean', () => ({
  pairwise: (x, w) =>
    tf.tidy(() => {
      const x2 = tf.sum(tf.square(x), 1, true);
      const w2 = tf.reshape(tf.sum(tf.square(w), 1), [1, -1]);
      return tf.sqrt(tf.relu(tf.add(tf.sub(x2, tf.mul(tf.matMul(x, w, false, true), 2)), w2))) as tf.Tensor2D;
    }),
}));

interface TableSpec {
  readonly label: string;
  readonly topology: 'rectangular' | 'hexagonal';
  readonly pbc: boolean;
}

interface Fixture {
  readonly who: string;
  readonly ctx: EngineContext;
  readonly n: number;
  readonly u: number;
  readonly d: number;
  readonly k2: number;
  /** [n, d] samples and [u, d] codebook. */
  readonly x: Float32Array;
  readonly w: Float32Array;
  readonly xRows: number[][];
  /** Reference distances [rows][units]. */
  readonly dist: (xs: readonly number[][], ws: readonly number[][]) => number[][];
  readonly close: Close;
  readonly tol: number;
  readonly tables: readonly TableSpec[];
  readonly table: (spec: TableSpec, scale: number) => NeighborhoodTable;
  /** Rows of the minibatch steps: all samples, shuffled. */
  readonly order: Int32Array;
  readonly batch: number;
  readonly next: () => number;
}

function fixture(engine: Engine, opts: EngineConformanceOptions): Fixture {
  const R = opts.rows ?? 4;
  const C = opts.cols ?? 6;
  const d = opts.dims ?? 5;
  const n = Math.max(8, opts.n ?? 40);
  const u = R * C;
  const next = rng(opts.seed ?? 7);
  const x = Float32Array.from({ length: n * d }, () => 4 * next());
  const w = Float32Array.from({ length: u * d }, () => 4 * next());
  const distance = opts.distance ?? euclideanPlugin();
  const ref = opts.reference ?? JS_DISTANCES[distance.name];
  const dist =
    ref !== undefined
      ? (xs: readonly number[][], ws: readonly number[][]) => xs.map((a) => ws.map((b) => ref(a, b)))
      : (xs: readonly number[][], ws: readonly number[][]) => tf.tidy(() => tensorRows(distance.pairwise(tf.tensor2d(xs as number[][], [xs.length, d]), tf.tensor2d(ws as number[][], [ws.length, d]))));
  const tol = opts.tol ?? 1e-3;
  const tables: TableSpec[] = [
    { label: 'rectangular', topology: 'rectangular', pbc: false },
    { label: 'hexagonal', topology: 'hexagonal', pbc: false },
    { label: 'toroidal rectangular', topology: 'rectangular', pbc: true },
  ];
  if (R % 2 === 0) tables.push({ label: 'toroidal hexagonal', topology: 'hexagonal', pbc: true });
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return {
    who: `engine '${engine.name}'`,
    ctx: { backend: opts.backend ?? tf.getBackend(), distance, units: u, dims: d },
    n,
    u,
    d,
    k2: Math.min(2, u),
    x,
    w,
    xRows: toRows(x, n, d),
    dist,
    close: (v, e) => Math.abs(v - e) <= tol * Math.max(1, Math.abs(e)),
    tol,
    tables,
    table: (spec, scale) => gridTable({ rows: R, cols: C, topology: spec.topology, pbc: spec.pbc, sigma: 1.5, scale }),
    order,
    batch: Math.max(1, Math.floor(n / 5)),
    next,
  };
}

/** `values` as a view into a larger array of the same type, `fill` before and after it. */
function padded<T extends Typed>(values: T, fill: number): T {
  const all = new (values.constructor as new (n: number) => T)(PAD_BEFORE + values.length + PAD_AFTER);
  all.fill(fill);
  all.set(values, PAD_BEFORE);
  return all.subarray(PAD_BEFORE, PAD_BEFORE + values.length) as T;
}

/** A table whose three arrays are padded views. */
function paddedTable(t: NeighborhoodTable): NeighborhoodTable {
  return { values: padded(t.values, Number.NaN), base: padded(t.base, 1 << 28), offset: padded(t.offset, 1 << 28) };
}

function paddedGiven(g: GivenSearch): GivenSearch {
  return { indices: padded(Int32Array.from(g.indices), -1), distances: padded(Float32Array.from(g.distances), Number.NaN) };
}

/** Copies of the whole buffers behind the named inputs, padding included. */
function snapshot(named: ReadonlyArray<readonly [string, Typed]>): Uint8Array[] {
  return named.map(([, a]) => new Uint8Array(a.buffer.slice(0)));
}

/** Fails unless every input's whole buffer (the view and the padding around it) is unchanged. */
function checkUntouched(named: ReadonlyArray<readonly [string, Typed]>, copies: readonly Uint8Array[], fail1: Fail1, where: string): void {
  named.forEach(([name, a], i) => {
    const now = new Uint8Array(a.buffer);
    const was = copies[i]!;
    for (let b = 0; b < was.length; b++) {
      if (now[b] !== was[b]) {
        const element = Math.floor((b - a.byteOffset) / a.BYTES_PER_ELEMENT);
        const inside = element >= 0 && element < a.length;
        fail1(`${where}: modified its input ${name} (${inside ? `element ${element}` : 'outside the view it was given'}); inputs are read-only views valid only during the call`);
      }
    }
  });
}

function describeArray(a: unknown): string {
  if (a === null || typeof a !== 'object') return String(a);
  const len = (a as { length?: unknown }).length;
  return `${(a as object).constructor?.name ?? 'an object'}${typeof len === 'number' ? ` of ${len} values` : ''}`;
}

/** Fails unless `a` is a fresh `ctor` array of `length` values (not a view of an input). */
function checkOut(a: unknown, ctor: Float32ArrayConstructor | Int32ArrayConstructor, length: number, name: string, inputs: ReadonlyArray<readonly [string, Typed]>, fail1: Fail1, where: string): void {
  if (!(a instanceof ctor) || a.length !== length) fail1(`${where}: expected ${name} as ${ctor === Int32Array ? 'an' : 'a'} ${ctor.name} of ${length} values, got ${describeArray(a)}`);
  for (const [input, v] of inputs) if (v.buffer === a.buffer) fail1(`${where}: ${name} shares memory with the input ${input}; results must be new arrays the caller owns`);
}

/**
 * Checks `indices`/`distances` [rows, k] against reference distances: distinct units in [0, u),
 * the j-th returned unit a true j-th nearest (ties within the tolerance accepted), its reported
 * distance its true distance, ascending.
 */
function checkSearch(f: Fixture, fail1: Fail1, where: string, indices: Int32Array, distances: Float32Array, k: number, truths: readonly number[][], labels: readonly number[], what = 'sample'): void {
  truths.forEach((truth, i) => {
    const order = ranked(truth);
    const seen = new Set<number>();
    for (let j = 0; j < k; j++) {
      const unit = indices[i * k + j]!;
      const at = `${where}: ${what} ${labels[i]}, rank ${j}`;
      if (!(Number.isInteger(unit) && unit >= 0 && unit < f.u)) fail1(`${at}: unit index ${unit}, outside [0, ${f.u})`);
      if (seen.has(unit)) fail1(`${at}: unit ${unit} is returned twice`);
      seen.add(unit);
      const best = order[j]!;
      if (!f.close(truth[unit]!, truth[best]!)) fail1(`${at}: returned unit ${unit} at distance ${truth[unit]}, the float64 reference finds unit ${best} at ${truth[best]}`);
      const got = distances[i * k + j]!;
      if (!f.close(got, truth[unit]!)) fail1(`${at}: distance ${got} for unit ${unit}, the float64 reference gives ${truth[unit]}`);
      if (j > 0 && got < distances[i * k + j - 1]! - f.tol * Math.max(1, Math.abs(got))) fail1(`${at}: distances are not ascending (${distances[i * k + j - 1]} then ${got})`);
    }
  });
}

function checkValues(f: Fixture, fail1: Fail1, where: string, what: (i: number) => string, got: ArrayLike<number>, expected: ArrayLike<number>, ref = 'the float64 reference gives'): void {
  for (let i = 0; i < expected.length; i++) {
    if (!f.close(got[i]!, expected[i]!)) fail1(`${where}: ${what(i)} is ${got[i]}, ${ref} ${expected[i]}`);
  }
}

/** Opens a session, runs `fn`, closes it; fails when tensors are left after `close()`. */
async function withSession<T>(engine: Engine, f: Fixture, fn: (s: EngineSession) => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const s = await engine.open(f.ctx);
  if (typeof s !== 'object' || s === null || typeof s.kernels !== 'object' || s.kernels === null || typeof s.close !== 'function') {
    fail(f.who, `open(ctx) must return a session { kernels, close() }, got ${describeArray(s)}`);
  }
  let value: T;
  try {
    value = await fn(s);
  } finally {
    await s.close();
  }
  const left = tf.memory().numTensors - before;
  if (left !== 0) fail(f.who, `the session left ${left} tensor(s) behind after close(); close() must free everything the session made`);
  return value;
}

/** The session's kernel `name`, bound; skips (or fails without `skip`) when it has none. */
function kernelOf<N extends KernelName>(f: Fixture, s: EngineSession, name: N, skip: Skip | undefined): NonNullable<EngineKernels[N]> {
  const fn = s.kernels[name];
  if (fn === undefined) {
    if (skip) skip(`the session implements no ${name} kernel (core runs its reference for it)`);
    fail(f.who, `the session has no ${name} kernel`);
  }
  if (typeof fn !== 'function') fail(f.who, `kernels.${name} must be a function, got ${typeof fn}`);
  return (fn as (...a: unknown[]) => unknown).bind(s.kernels) as NonNullable<EngineKernels[N]>;
}

function supported(engine: Engine, f: Fixture, skip: Skip | undefined): void {
  if (skip === undefined) return;
  const s = engine.supports(f.ctx);
  if (s !== true) skip(`supports() refused this context: ${s}`);
}

/** Reference ranks `from … from + k` of rows `xs` under codebook `w`, as given search results. */
function givenAt(f: Fixture, xs: readonly number[][], w: ArrayLike<number>, k: number, from: number): GivenSearch {
  const truths = f.dist(xs, toRows(w, f.u, f.d));
  const indices = new Int32Array(xs.length * k);
  const distances = new Float32Array(xs.length * k);
  truths.forEach((truth, i) => {
    ranked(truth)
      .slice(from, from + k)
      .forEach((unit, j) => {
        indices[i * k + j] = unit;
        distances[i * k + j] = truth[unit]!;
      });
  });
  return { indices, distances };
}

function checkGivenReturned(fail1: Fail1, where: string, g: GivenSearch, indices: Int32Array, distances: Float32Array): void {
  for (let i = 0; i < g.indices.length; i++) {
    if (indices[i] !== g.indices[i] || !Object.is(distances[i], g.distances[i])) {
      fail1(`${where}: result [${i}] is unit ${indices[i]} at ${distances[i]}, but the given search result is unit ${g.indices[i]} at ${g.distances[i]}; with given, the kernel must use and return them instead of searching`);
    }
  }
}

/** Row ranges of the bmu/neuronSums cases: all samples, then a shorter last batch as its own call. */
function sampleCases(f: Fixture): Array<[number, number]> {
  return [
    [0, f.n],
    [f.n - TAIL, TAIL],
  ];
}

function bmuInputs(f: Fixture, first: number, size: number): { x: Float32Array; weights: Float32Array; rows: number[][]; labels: number[] } {
  return {
    x: padded(f.x.slice(first * f.d, (first + size) * f.d), Number.NaN),
    weights: padded(f.w.slice(), Number.NaN),
    rows: f.xRows.slice(first, first + size),
    labels: Array.from({ length: size }, (_, i) => first + i),
  };
}

function stepRows(f: Fixture, order: Int32Array, s: number, b: number): number[][] {
  return Array.from(order.subarray(s * b, (s + 1) * b), (r) => f.xRows[r]!);
}

/**
 * Validates a minibatchSteps result against the float64 reference steps, following the engine's
 * own BMUs where they tie (within the tolerance) with the reference's; returns nothing, fails.
 */
function checkSteps(
  f: Fixture,
  fail1: Fail1,
  where: string,
  out: { weights: Float32Array; indices: Int32Array; distances: Float32Array },
  order: Int32Array,
  b: number,
  steps: number,
  k: number,
  table: NeighborhoodTable,
): void {
  let w: ArrayLike<number> = f.w;
  for (let s = 0; s < steps; s++) {
    const xs = stepRows(f, order, s, b);
    const truths = f.dist(xs, toRows(w, f.u, f.d));
    const at = s * b * k;
    checkSearch(f, fail1, `${where}: step ${s}`, out.indices.subarray(at, at + b * k), out.distances.subarray(at, at + b * k), k, truths, Array.from(order.subarray(s * b, (s + 1) * b)));
    w = stepUpdate(w, xs, Array.from({ length: b }, (_, i) => out.indices[at + i * k]!), table, f.u, f.d);
  }
  checkValues(f, fail1, where, (i) => `final weight [${Math.floor(i / f.d)}, ${i % f.d}]`, out.weights, w, 'the float64 reference steps give');
}

/** Result arrays of a kernel call, for the determinism check. */
function outputsOf(name: KernelName, out: unknown): Array<[string, Typed]> {
  if (name === 'neighborhoodProduct') return [['out', out as Float32Array]];
  const o = out as Record<string, Typed>;
  const keys = name === 'bmu' ? ['indices', 'distances'] : name === 'neuronSums' ? ['indices', 'distances', 'sums'] : ['weights', 'indices', 'distances'];
  return keys.map((key) => [key, o[key]!]);
}

function firstDifference(a: Typed, b: Typed): number {
  if (!(a instanceof b.constructor) || a.length !== b.length) return 0;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.floor(i / a.BYTES_PER_ELEMENT);
  return -1;
}

/** The checks behind {@link runEngineConformance}, one per test; each throws a `ConformanceError` on failure. */
export const engineChecks = {
  /** Frozen, kind 'engine', apiVersion 2, a name, JSON options, a finite priority, `supports` and `open`. */
  metadata(engine: Engine): void {
    checkMetadata('engine', engine);
    const who = `engine '${engine.name}'`;
    if (typeof engine.priority !== 'number' || !Number.isFinite(engine.priority)) fail(who, `priority must be a finite number, got ${String(engine.priority)}`);
    for (const m of ['supports', 'open'] as const) if (typeof engine[m] !== 'function') fail(who, `has no ${m}() function`);
  },

  supports(engine: Engine, opts: EngineConformanceOptions = {}): true | string {
    const f = fixture(engine, opts);
    const s = engine.supports(f.ctx);
    if (s !== true && (typeof s !== 'string' || s.length === 0)) fail(f.who, `supports() must return true or a non-empty reason string, got ${JSON.stringify(s)}`);
    return s;
  },

  /**
   * `open(ctx)` gives `{ kernels, close() }`; every kernel is one of the names of
   * `KERNEL_NAMES` and a function; `close()` can be called twice; two sessions open side by side
   * close independently; no tensors are left after `close()`.
   */
  async session(engine: Engine, opts: EngineConformanceOptions = {}, skip?: Skip): Promise<void> {
    const f = fixture(engine, opts);
    supported(engine, f, skip);
    const before = tf.memory().numTensors;
    const a = await engine.open(f.ctx);
    const b = await engine.open(f.ctx);
    for (const s of [a, b]) {
      if (typeof s !== 'object' || s === null || typeof s.kernels !== 'object' || s.kernels === null) fail(f.who, `open(ctx) must return a session with a kernels object, got ${describeArray(s)}`);
      if (typeof s.close !== 'function') fail(f.who, 'the session has no close() function');
      for (const [name, fn] of Object.entries(s.kernels)) {
        if (!(KERNEL_NAMES as readonly string[]).includes(name)) fail(f.who, `the session has an unknown kernel '${name}'; kernel names are ${KERNEL_NAMES.join(', ')} (core would never call it)`);
        if (fn !== undefined && typeof fn !== 'function') fail(f.who, `kernels.${name} must be a function when present, got ${typeof fn}`);
      }
    }
    for (const s of [a, b, a, b]) {
      try {
        await s.close();
      } catch (e) {
        fail(f.who, `close() must be idempotent, but calling it again threw: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const left = tf.memory().numTensors - before;
    if (left !== 0) fail(f.who, `two sessions left ${left} tensor(s) behind after close()`);
  },

  /**
   * `bmu`: the k best units (k = 1 and 2) and their distances as a float64 reference (ties within
   * the tolerance accepted), for all samples and for a shorter last batch as its own call; inputs
   * are views with byte offsets and stay untouched; fresh int32/float32 arrays of [size, k].
   */
  async bmu(engine: Engine, opts: EngineConformanceOptions = {}, skip?: Skip): Promise<void> {
    const f = fixture(engine, opts);
    supported(engine, f, skip);
    const fail1: Fail1 = (msg) => fail(`${f.who} bmu`, msg);
    await withSession(engine, f, async (s) => {
      const bmu = kernelOf(f, s, 'bmu', skip);
      for (const [first, size] of sampleCases(f)) {
        for (const k of [1, f.k2]) {
          const where = `(samples ${first}..${first + size - 1}, k = ${k})`;
          const { x, weights, rows, labels } = bmuInputs(f, first, size);
          const named: Array<[string, Typed]> = [['x', x], ['weights', weights]];
          const copies = snapshot(named);
          const out = await bmu({ x, weights, samples: size, units: f.u, dims: f.d, k });
          checkUntouched(named, copies, fail1, where);
          checkOut(out?.indices, Int32Array, size * k, 'indices', named, fail1, where);
          checkOut(out.distances, Float32Array, size * k, 'distances', named, fail1, where);
          checkSearch(f, fail1, where, out.indices, out.distances, k, f.dist(rows, toRows(f.w, f.u, f.d)), labels);
        }
      }
    });
  },

  /**
   * `neuronSums`: the BMU search as {@link engineChecks.bmu}, and `[S | m]` [u, d + 1] — Σ x and
   * the count per returned BMU — as a float64 reference; same cases, views and size checks.
   */
  async neuronSums(engine: Engine, opts: EngineConformanceOptions = {}, skip?: Skip): Promise<void> {
    const f = fixture(engine, opts);
    supported(engine, f, skip);
    const fail1: Fail1 = (msg) => fail(`${f.who} neuronSums`, msg);
    await withSession(engine, f, async (s) => {
      const sums = kernelOf(f, s, 'neuronSums', skip);
      for (const [first, size] of sampleCases(f)) {
        for (const k of [1, f.k2]) {
          const where = `(samples ${first}..${first + size - 1}, k = ${k})`;
          const { x, weights, rows, labels } = bmuInputs(f, first, size);
          const named: Array<[string, Typed]> = [['x', x], ['weights', weights]];
          const copies = snapshot(named);
          const out = await sums({ x, weights, samples: size, units: f.u, dims: f.d, k });
          checkUntouched(named, copies, fail1, where);
          checkOut(out?.indices, Int32Array, size * k, 'indices', named, fail1, where);
          checkOut(out.distances, Float32Array, size * k, 'distances', named, fail1, where);
          checkOut(out.sums, Float32Array, f.u * (f.d + 1), 'sums ([u, d + 1])', named, fail1, where);
          checkSearch(f, fail1, where, out.indices, out.distances, k, f.dist(rows, toRows(f.w, f.u, f.d)), labels);
          const bmus = Array.from({ length: size }, (_, i) => out.indices[i * k]!);
          checkValues(f, fail1, where, (i) => `sums[${Math.floor(i / (f.d + 1))}, ${i % (f.d + 1)}]`, out.sums, neuronSumsOf(rows, bmus, f.u, f.d));
        }
      }
    });
  },

  /**
   * `neuronSums` with `given` search results (those of a non-exact strategy; here the reference's
   * 2nd…(k+1)-th nearest units, so they differ from any search): returns exactly the given
   * indices and distances and sums by the given BMUs; the given arrays stay untouched.
   */
  async neuronSumsGiven(engine: Engine, opts: EngineConformanceOptions = {}, skip?: Skip): Promise<void> {
    const f = fixture(engine, opts);
    supported(engine, f, skip);
    const fail1: Fail1 = (msg) => fail(`${f.who} neuronSums with given`, msg);
    await withSession(engine, f, async (s) => {
      const sums = kernelOf(f, s, 'neuronSums', skip);
      for (const [first, size] of sampleCases(f)) {
        for (const k of [1, f.k2]) {
          const where = `(samples ${first}..${first + size - 1}, k = ${k})`;
          const { x, weights, rows } = bmuInputs(f, first, size);
          const given = paddedGiven(givenAt(f, rows, f.w, k, 1));
          const named: Array<[string, Typed]> = [['x', x], ['weights', weights], ['given.indices', given.indices], ['given.distances', given.distances]];
          const copies = snapshot(named);
          const out = await sums({ x, weights, samples: size, units: f.u, dims: f.d, k, given });
          checkUntouched(named, copies, fail1, where);
          checkOut(out?.indices, Int32Array, size * k, 'indices', named, fail1, where);
          checkOut(out.distances, Float32Array, size * k, 'distances', named, fail1, where);
          checkOut(out.sums, Float32Array, f.u * (f.d + 1), 'sums ([u, d + 1])', named, fail1, where);
          checkGivenReturned(fail1, where, given, out.indices, out.distances);
          const bmus = Array.from({ length: size }, (_, i) => given.indices[i * k]!);
          checkValues(f, fail1, where, (i) => `sums[${Math.floor(i / (f.d + 1))}, ${i % (f.d + 1)}]`, out.sums, neuronSumsOf(rows, bmus, f.u, f.d), 'summed by the given BMUs the reference gives');
        }
      }
    });
  },

  /**
   * `minibatchSteps`: 5 steps of b = ⌊n / 5⌋ rows picked by a shuffled `rows`, on a rectangular,
   * a hexagonal and toroidal kernel tables (α / b folded in), k = 1 and 2; then a shorter last
   * batch of 7 rows out of order as its own one-step call (α / 7). Each step's BMUs are true
   * nearest units of the codebook that step starts from (ties accepted), with their distances;
   * the final codebook equals the float64 reference steps; inputs (`x`, `rows`, `weights`, the
   * table's three arrays, all views with byte offsets) untouched; fresh arrays of the right sizes.
   */
  async minibatchSteps(engine: Engine, opts: EngineConformanceOptions = {}, skip?: Skip): Promise<void> {
    const f = fixture(engine, opts);
    supported(engine, f, skip);
    const fail1: Fail1 = (msg) => fail(`${f.who} minibatchSteps`, msg);
    const tail = Int32Array.from({ length: Math.min(TAIL, f.n) }, (_, i) => (f.n - 1 - 3 * i + 3 * f.n) % f.n);
    await withSession(engine, f, async (s) => {
      const run = kernelOf(f, s, 'minibatchSteps', skip);
      const cases: Array<[string, TableSpec, Int32Array, number, number]> = [
        ...f.tables.map((t): [string, TableSpec, Int32Array, number, number] => [`5 steps of ${f.batch}, ${t.label}`, t, f.order.subarray(0, 5 * f.batch), f.batch, 5]),
        [`1 step of ${tail.length} (a shorter last batch), ${f.tables[f.tables.length - 1]!.label}`, f.tables[f.tables.length - 1]!, tail, tail.length, 1],
      ];
      for (const [label, spec, order, b, steps] of cases) {
        for (const k of [1, f.k2]) {
          const where = `(${label}, k = ${k})`;
          const kernel = paddedTable(f.table(spec, ALPHA / b));
          const x = padded(f.x.slice(), Number.NaN);
          const rows = padded(Int32Array.from(order), -1);
          const weights = padded(f.w.slice(), Number.NaN);
          const named: Array<[string, Typed]> = [['x', x], ['rows', rows], ['weights', weights], ['kernel.values', kernel.values], ['kernel.base', kernel.base], ['kernel.offset', kernel.offset]];
          const copies = snapshot(named);
          const out = await run({ x, rows, weights, kernel, batch: b, steps, samples: f.n, units: f.u, dims: f.d, k });
          checkUntouched(named, copies, fail1, where);
          checkOut(out?.weights, Float32Array, f.u * f.d, 'weights ([u, d])', named, fail1, where);
          checkOut(out.indices, Int32Array, steps * b * k, 'indices ([steps · batch, k])', named, fail1, where);
          checkOut(out.distances, Float32Array, steps * b * k, 'distances ([steps · batch, k])', named, fail1, where);
          checkSteps(f, fail1, where, out, order, b, steps, k, kernel);
        }
      }
    });
  },

  /**
   * `minibatchSteps` with `given` search results (steps = 1, as core sends them for a non-exact
   * strategy; here the reference's 2nd…(k+1)-th nearest units): returns exactly the given indices
   * and distances, and the codebook after one step with the given BMUs; inputs untouched.
   */
  async minibatchStepsGiven(engine: Engine, opts: EngineConformanceOptions = {}, skip?: Skip): Promise<void> {
    const f = fixture(engine, opts);
    supported(engine, f, skip);
    const fail1: Fail1 = (msg) => fail(`${f.who} minibatchSteps with given`, msg);
    await withSession(engine, f, async (s) => {
      const run = kernelOf(f, s, 'minibatchSteps', skip);
      for (const spec of [f.tables[0]!, f.tables[f.tables.length - 1]!]) {
        for (const k of [1, f.k2]) {
          const where = `(1 step of ${f.batch}, ${spec.label}, k = ${k})`;
          const b = f.batch;
          const order = f.order.subarray(0, b);
          const xs = stepRows(f, order, 0, b);
          const table = f.table(spec, ALPHA / b);
          const kernel = paddedTable(table);
          const given = paddedGiven(givenAt(f, xs, f.w, k, 1));
          const x = padded(f.x.slice(), Number.NaN);
          const rows = padded(Int32Array.from(order), -1);
          const weights = padded(f.w.slice(), Number.NaN);
          const named: Array<[string, Typed]> = [['x', x], ['rows', rows], ['weights', weights], ['kernel.values', kernel.values], ['kernel.base', kernel.base], ['kernel.offset', kernel.offset], ['given.indices', given.indices], ['given.distances', given.distances]];
          const copies = snapshot(named);
          const out = await run({ x, rows, weights, kernel, batch: b, steps: 1, samples: f.n, units: f.u, dims: f.d, k, given });
          checkUntouched(named, copies, fail1, where);
          checkOut(out?.weights, Float32Array, f.u * f.d, 'weights ([u, d])', named, fail1, where);
          checkOut(out.indices, Int32Array, b * k, 'indices ([batch, k])', named, fail1, where);
          checkOut(out.distances, Float32Array, b * k, 'distances ([batch, k])', named, fail1, where);
          checkGivenReturned(fail1, where, given, out.indices, out.distances);
          const w = stepUpdate(f.w, xs, Array.from({ length: b }, (_, i) => given.indices[i * k]!), table, f.u, f.d);
          checkValues(f, fail1, where, (i) => `new weight [${Math.floor(i / f.d)}, ${i % f.d}]`, out.weights, w, 'one step with the given BMUs gives');
        }
      }
    });
  },

  /**
   * `minibatchSteps`: 5 steps in one call give what the same 5 steps give one call each (each
   * call starting from the codebook the previous one returned): the same BMUs (or, where they
   * differ, units tied within the tolerance) and the same final codebook within the tolerance.
   */
  async minibatchStepsSplit(engine: Engine, opts: EngineConformanceOptions = {}, skip?: Skip): Promise<void> {
    const f = fixture(engine, opts);
    supported(engine, f, skip);
    const fail1: Fail1 = (msg) => fail(`${f.who} minibatchSteps`, msg);
    await withSession(engine, f, async (s) => {
      const run = kernelOf(f, s, 'minibatchSteps', skip);
      const spec = f.tables[f.tables.length - 1]!;
      const b = f.batch;
      const steps = 5;
      const kernel = f.table(spec, ALPHA / b);
      const k = f.k2;
      const job = { x: f.x, kernel, batch: b, samples: f.n, units: f.u, dims: f.d, k };
      const fused = await run({ ...job, rows: f.order.slice(0, steps * b), weights: f.w.slice(), steps });
      checkOut(fused?.weights, Float32Array, f.u * f.d, 'weights ([u, d])', [], fail1, '(5 steps in one call)');
      checkOut(fused.indices, Int32Array, steps * b * k, 'indices', [], fail1, '(5 steps in one call)');
      let w: Float32Array = f.w.slice();
      for (let st = 0; st < steps; st++) {
        const where = `(5 steps of ${b} in one call vs one call each, ${spec.label}, k = ${k}): step ${st}`;
        const one = await run({ ...job, rows: f.order.slice(st * b, (st + 1) * b), weights: w, steps: 1 });
        checkOut(one?.weights, Float32Array, f.u * f.d, 'weights ([u, d])', [], fail1, where);
        checkOut(one.indices, Int32Array, b * k, 'indices', [], fail1, where);
        const truths = f.dist(stepRows(f, f.order, st, b), toRows(w, f.u, f.d));
        for (let i = 0; i < b * k; i++) {
          const [p, q] = [fused.indices[st * b * k + i]!, one.indices[i]!];
          const truth = truths[Math.floor(i / k)]!;
          if (p !== q && !(q >= 0 && q < f.u && p >= 0 && p < f.u && f.close(truth[p]!, truth[q]!))) {
            fail1(`${where}: sample ${f.order[st * b + Math.floor(i / k)]}, rank ${i % k}: unit ${p} in one call, unit ${q} one call each (distances ${truth[p]} vs ${truth[q]}: not a tie)`);
          }
        }
        w = one.weights;
      }
      checkValues(f, fail1, `(5 steps of ${b} in one call vs one call each, ${spec.label}, k = ${k})`, (i) => `final weight [${Math.floor(i / f.d)}, ${i % f.d}] in one call`, fused.weights, w, 'one call each gives');
    });
  },

  /**
   * `neighborhoodProduct`: `out[a, :] = Σ_b h(a, b)·m[b, :]` as a float64 reference on the
   * rectangular, hexagonal and toroidal tables, for c = d + 1 (batch-map's `[S | m]`) and c = 3
   * columns; `m` and the table are views with byte offsets and stay untouched; a fresh float32
   * [u, c] result.
   */
  async neighborhoodProduct(engine: Engine, opts: EngineConformanceOptions = {}, skip?: Skip): Promise<void> {
    const f = fixture(engine, opts);
    supported(engine, f, skip);
    const fail1: Fail1 = (msg) => fail(`${f.who} neighborhoodProduct`, msg);
    await withSession(engine, f, async (s) => {
      const product = kernelOf(f, s, 'neighborhoodProduct', skip);
      for (const spec of f.tables) {
        for (const c of [f.d + 1, 3]) {
          const where = `(${spec.label}, [u, ${c}])`;
          const table = f.table(spec, 1);
          const kernel = paddedTable(table);
          const values = Float32Array.from({ length: f.u * c }, () => 10 * f.next() - 5);
          const m = padded(values, Number.NaN);
          const named: Array<[string, Typed]> = [['m', m], ['kernel.values', kernel.values], ['kernel.base', kernel.base], ['kernel.offset', kernel.offset]];
          const copies = snapshot(named);
          const out = await product({ kernel, m, units: f.u, columns: c });
          checkUntouched(named, copies, fail1, where);
          checkOut(out, Float32Array, f.u * c, 'the result ([u, c])', named, fail1, where);
          checkValues(f, fail1, where, (i) => `element [${Math.floor(i / c)}, ${i % c}]`, out, productOf(table, values, f.u, c));
        }
      }
    });
  },

  /**
   * Determinism of kernel `name`: the same job twice in one session, and once in a second session,
   * give identical bits; the second call adds no tensors (a session may keep caches, not grow).
   */
  /**
   * The kernels a session lists in `maskedKernels`, on samples with NaN at missing cells
   * (`missing: true`): the search over observed dimensions (rescaled by d / observed), sums of
   * observed values with per-dimension `counts`, and minibatch steps that move observed
   * dimensions only — each as the float64 reference. Skipped when the session lists none.
   */
  async masked(engine: Engine, opts: EngineConformanceOptions = {}, skip?: Skip): Promise<void> {
    const f = fixture(engine, opts);
    supported(engine, f, skip);
    const fail1: Fail1 = (msg) => fail(`${f.who} masked kernels`, msg);
    const dist = JS_MASKED_DISTANCES[f.ctx.distance.name];
    await withSession(engine, f, async (s) => {
      const listed = s.maskedKernels ?? [];
      if (listed.length === 0) return skip?.('the session lists no maskedKernels: core runs its reference for data with missing values');
      if (dist === undefined) return skip?.(`no float64 masked form of distance '${f.ctx.distance.name}'`);
      // Every fifth cell missing (one per row at d = 5, never a whole row).
      const x = Float32Array.from(f.x, (v, i) => (i % 5 === 2 ? Number.NaN : v));
      const rows = toRows(x, f.n, f.d);
      const truths = rows.map((a) => toRows(f.w, f.u, f.d).map((b) => dist(a, b)));
      const labels = Array.from({ length: f.n }, (_, i) => i);
      const job = { x, weights: f.w, samples: f.n, units: f.u, dims: f.d, k: f.k2, missing: true };
      if (listed.includes('bmu')) {
        const out = await kernelOf(f, s, 'bmu', skip)(job);
        checkSearch(f, fail1, 'bmu', out.indices, out.distances, f.k2, truths, labels);
      }
      if (listed.includes('neuronSums')) {
        const out = await kernelOf(f, s, 'neuronSums', skip)(job);
        checkSearch(f, fail1, 'neuronSums', out.indices, out.distances, f.k2, truths, labels);
        const bmus = Array.from({ length: f.n }, (_, i) => out.indices[i * f.k2]!);
        const want = observedNeuronSumsOf(rows, bmus, f.u, f.d);
        if (out.counts?.length !== f.u * f.d) fail1(`neuronSums: counts has ${out.counts?.length ?? 'no'} values, expected [u, d] = ${f.u * f.d}`);
        checkValues(f, fail1, 'neuronSums', (i) => `sums[${Math.floor(i / (f.d + 1))}, ${i % (f.d + 1)}]`, out.sums, want.sums);
        checkValues(f, fail1, 'neuronSums', (i) => `counts[${Math.floor(i / f.d)}, ${i % f.d}]`, out.counts!, want.counts);
      }
      if (listed.includes('minibatchSteps')) {
        const b = f.batch;
        const kernel = f.table(f.tables[0]!, 0.5 / b);
        const stepsJob = { ...job, rows: f.order.subarray(0, 2 * b), kernel, batch: b, steps: 2 };
        const out = await kernelOf(f, s, 'minibatchSteps', skip)(stepsJob);
        let w: ArrayLike<number> = f.w;
        for (let st = 0; st < 2; st++) {
          const batch = Array.from(f.order.subarray(st * b, (st + 1) * b), (r) => rows[r]!);
          const t = batch.map((a) => toRows(w, f.u, f.d).map((c) => dist(a, c)));
          w = maskedStepUpdate(w, batch, t.map((row) => ranked(row)[0]!), kernel, f.u, f.d);
        }
        checkValues(f, fail1, 'minibatchSteps', (i) => `weights[${Math.floor(i / f.d)}, ${i % f.d}]`, out.weights, w);
      }
    });
  },

  async determinism(engine: Engine, name: KernelName, opts: EngineConformanceOptions = {}, skip?: Skip): Promise<void> {
    const f = fixture(engine, opts);
    supported(engine, f, skip);
    const fail1: Fail1 = (msg) => fail(`${f.who} ${name}`, msg);
    const k = f.k2;
    const spec = f.tables[f.tables.length - 1]!;
    const call = (kernels: EngineSession, skip1: Skip | undefined): Promise<unknown> => {
      const fn = kernelOf(f, kernels, name, skip1) as (job: unknown) => Promise<unknown>;
      switch (name) {
        case 'bmu':
        case 'neuronSums':
          return fn({ x: f.x, weights: f.w, samples: f.n, units: f.u, dims: f.d, k });
        case 'minibatchSteps':
          return fn({ x: f.x, rows: f.order.subarray(0, 5 * f.batch), weights: f.w, kernel: f.table(spec, ALPHA / f.batch), batch: f.batch, steps: 5, samples: f.n, units: f.u, dims: f.d, k });
        default:
          return fn({ kernel: f.table(spec, 1), m: f.w, units: f.u, columns: f.d });
      }
    };
    await withSession(engine, f, async (a) => {
      const first = await call(a, skip);
      const tensors = tf.memory().numTensors;
      const again = await call(a, skip);
      const grown = tf.memory().numTensors - tensors;
      if (grown !== 0) fail1(`the same job a second time left ${grown} more tensor(s); a kernel must not leak tensors`);
      const other = await withSession(engine, f, (b) => call(b, skip));
      const reference = outputsOf(name, first);
      for (const [label, out] of [['the same job again', again], ['the same job in a second session', other]] as const) {
        outputsOf(name, out).forEach(([key, v], i) => {
          const [, r] = reference[i]!;
          const at = firstDifference(r, v);
          if (at >= 0) fail1(`${label} gave different bits: ${key}[${at}] is ${v?.[at]}, the first run gave ${r?.[at]}; results must be deterministic for a given engine and thread count`);
        });
      }
    });
  },
};

/**
 * The conformance suite of an {@link Engine}, as a vitest `describe` block: metadata (kind
 * 'engine', apiVersion 2, frozen, JSON options, priority), `supports()` (true or a reason; when it
 * refuses the context the kernel tests are skipped with that reason), the session (known kernel
 * names, `close()` idempotent, no tensors left), and for every kernel the session implements —
 * `bmu`, `neuronSums`, `minibatchSteps`, `neighborhoodProduct` — results against plain-JS float64
 * references on small cases: views with byte offsets into larger buffers, k = 1 and 2, a shorter
 * last batch as its own call, rectangular, hexagonal and toroidal kernel tables, `given` search
 * results for `neuronSums` and one-step `minibatchSteps`, several steps in one call equal to one
 * call each, BMUs compared tie-tolerantly, inputs untouched, result sizes, and determinism (the
 * same job twice and in two sessions → identical bits). A kernel the session does not implement
 * is skipped (core runs its reference for it).
 *
 * ```ts
 * describeBackends(['cpu', 'wasm'], () => runEngineConformance(myEngine(), { distance: euclidean() }));
 * ```
 */
export function runEngineConformance(engine: Engine, opts: EngineConformanceOptions = {}): void {
  describe(opts.title ?? `engine conformance: ${engine.name}`, () => {
    it('is a frozen engine plugin (kind engine, apiVersion 2, name, priority, JSON options)', () => engineChecks.metadata(engine));
    it('supports(ctx) returns true or a reason string', () => {
      engineChecks.supports(engine, opts);
    });
    it('open(ctx) gives a session of known kernels; close() is idempotent and frees its tensors', ({ skip }) => engineChecks.session(engine, opts, skip));
    it('bmu: k best units (k = 1, 2) of all samples and of a shorter last batch, as a float64 reference', ({ skip }) => engineChecks.bmu(engine, opts, skip));
    it('neuronSums: best units and per-neuron sums [S | m] as a float64 reference', ({ skip }) => engineChecks.neuronSums(engine, opts, skip));
    it('neuronSums: with given search results, sums by them and returns them', ({ skip }) => engineChecks.neuronSumsGiven(engine, opts, skip));
    it('minibatchSteps: steps over picked rows on rectangular, hexagonal and toroidal tables and a shorter last batch, as the float64 reference steps', ({ skip }) => engineChecks.minibatchSteps(engine, opts, skip));
    it('minibatchSteps: with given search results (steps = 1), steps by them and returns them', ({ skip }) => engineChecks.minibatchStepsGiven(engine, opts, skip));
    it('minibatchSteps: several steps in one call equal the same steps one call each', ({ skip }) => engineChecks.minibatchStepsSplit(engine, opts, skip));
    it('neighborhoodProduct: G·m on rectangular, hexagonal and toroidal tables as a float64 reference', ({ skip }) => engineChecks.neighborhoodProduct(engine, opts, skip));
    it('masked kernels (maskedKernels): on samples with missing cells, as the float64 reference over observed dimensions', ({ skip }) => engineChecks.masked(engine, opts, skip));
    for (const name of KERNEL_NAMES) {
      it(`${name}: deterministic (the same job twice, and in two sessions: identical bits)`, ({ skip }) => engineChecks.determinism(engine, name, opts, skip));
    }
  });
}
