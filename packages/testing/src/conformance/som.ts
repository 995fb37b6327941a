import * as tf from '@tensorflow/tfjs-core';
import type { DistancePlugin, SearchStrategy } from '@somkit/plugin-api';
import { beforeAll, describe, it } from 'vitest';
import { JS_DISTANCES } from '../jsDistances.js';
import { ConformanceError, fail, randomMatrix, rng } from './util.js';

/**
 * Tolerances of {@link runSomConformance}. Every value is compared against a reference computed in
 * the same process on the reference backend (`cpu` by default) and, for distances and search,
 * against a plain-JS float64 computation. Documented in docs/user-guide/backends.md.
 */
export interface SomConformanceTolerances {
  /** Distances: |a − e| ≤ distance·max(1, |e|), against plain JS (float64) and the reference backend. */
  readonly distance: number;
  /** Quantization error after training: |qe − qe_ref| ≤ qeRelative·|qe_ref|. */
  readonly qeRelative: number;
  /** Per-epoch training QE (history): |h − h_ref| ≤ historyRelative·|h_ref|. */
  readonly historyRelative: number;
  /** Codebook after training: |w − w_ref| ≤ weights·max(1, |w_ref|), element-wise. */
  readonly weights: number;
  /**
   * Two units whose distances to a sample differ by at most tie·max(1, d) are a near-tie: there the
   * backends may pick either one, and the BMU, hit-count and TE checks accept both.
   */
  readonly tie: number;
}

/** The tolerances used when none are given. */
export const SOM_CONFORMANCE_TOLERANCES: SomConformanceTolerances = Object.freeze({
  distance: 1e-4,
  qeRelative: 1e-4,
  historyRelative: 1e-4,
  weights: 1e-4,
  tie: 1e-4,
});

/** What the suite needs from a SOM (structurally `@somkit/core`'s `SOM`). */
export interface SomUnderTest {
  fit(data: number[][], options?: { shuffle?: boolean }): Promise<unknown>;
  topUnits(data: number[][], k: number): Promise<{ indices: Int32Array; distances: Float32Array }>;
  evaluate(data: number[][]): Promise<{ qe: number; te: number }>;
  getWeights(): Float32Array;
  readonly history: { readonly qe: readonly number[] };
  dispose(): void;
}

/** The settings the suite trains with; pass them to your SOM constructor as they are. */
export interface SomConformanceSettings {
  rows: number;
  cols: number;
  dims: number;
  epochs: number;
  batchSize: number;
  sigma: number;
  learningRate: number;
  seed: number;
  init: 'pca';
  rule: 'minibatch' | 'batch-map';
  topology: 'rectangular' | 'hexagonal';
  distance: DistancePlugin;
  search: SearchStrategy;
  plugins: unknown[];
}

/** A distance to check, with its exact value in plain JS when known. */
export interface SomConformanceDistance {
  readonly plugin: DistancePlugin;
  /** Exact distance of two vectors (float64). Built in for euclidean, sqeuclidean, cosine, manhattan, chebyshev. */
  readonly reference?: (a: readonly number[], b: readonly number[]) => number;
}

/** The implementations under test (injected, so `@somkit/testing` does not depend on them). */
export interface SomConformanceImpl {
  /** Builds a SOM: `(s) => new SOM(s)` with `@somkit/core`. */
  readonly createSom: (settings: SomConformanceSettings) => SomUnderTest;
  /** Distances for the kernel and search checks, e.g. `[euclidean(), cosine()]`. The first one trains. */
  readonly distances: ReadonlyArray<DistancePlugin | SomConformanceDistance>;
  /** The exact search to check and to train with, e.g. `bruteForce()`. */
  readonly search: SearchStrategy;
}

/** Options of {@link runSomConformance}. */
export interface SomConformanceOptions {
  /** Title of the `describe` block (default `SOM conformance vs <reference>`). */
  readonly title?: string;
  /** Backend the reference values are computed on (default `'cpu'`; it must be registered). */
  readonly reference?: string;
  /** Grid of the training checks (default 6 × 6). */
  readonly rows?: number;
  readonly cols?: number;
  /** Epochs of the training checks (default 3). */
  readonly epochs?: number;
  /** Training cases (default minibatch on a rectangular grid, batch-map on a hexagonal one). */
  readonly cases?: ReadonlyArray<{ rule: 'minibatch' | 'batch-map'; topology: 'rectangular' | 'hexagonal' }>;
  readonly tolerances?: Partial<SomConformanceTolerances>;
  /** Timeout of the `beforeAll` that computes the reference, in ms (default 120 000). */
  readonly timeout?: number;
  readonly seed?: number;
  /** Receives what each training check measured (largest accepted errors), e.g. to print them. */
  readonly onReport?: (backend: string, trainingCase: string, report: SomFitReport) => void;
}

function asDistance(d: DistancePlugin | SomConformanceDistance): SomConformanceDistance {
  return 'plugin' in d ? d : { plugin: d };
}

/** The fixed inputs of every check (plain JS, identical on every backend). */
interface Fixtures {
  kernel: { x: number[][]; w: number[][] };
  search: { x: number[][]; w: number[][] };
  blobs: number[][];
}

function fixtures(seed: number): Fixtures {
  const next = rng(seed);
  const kernel = { x: randomMatrix(next, 6, 5, 0.1, 1.1), w: randomMatrix(next, 9, 5, 0.1, 1.1) };
  // Search: units ≥ 0.8 apart in [0.5, 5]^4, each sample within ±0.1 per feature of one unit.
  const w: number[][] = [];
  let guard = 0;
  while (w.length < 12) {
    const c = Array.from({ length: 4 }, () => 0.5 + 4.5 * next());
    if (w.every((o) => Math.hypot(...o.map((v, i) => v - (c[i] as number))) >= 0.8) || ++guard > 100_000) w.push(c);
  }
  const x = Array.from({ length: 24 }, (_, i) => (w[(i * 5) % w.length] as number[]).map((v) => v + 0.2 * (next() - 0.5)));
  // Training: 3 well-separated blobs in 4-D (centres 8 apart, spread 0.3), 20 samples each.
  const centres = [
    [0, 0, 0, 0],
    [8, 0, 0, 0],
    [0, 8, 0, 0],
  ];
  const blobs: number[][] = [];
  for (let i = 0; i < 60; i++) {
    const c = centres[i % 3] as number[];
    // Box–Muller normal noise.
    blobs.push(c.map((v) => v + 0.3 * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())));
  }
  return { kernel, search: { x, w }, blobs };
}

interface DistanceValues {
  pairwise: number[][];
  reversed: number[][];
  prepared?: number[][];
}

interface SearchValues {
  k1: { indices: number[][]; distances: number[][] };
  k3: { indices: number[][]; distances: number[][] };
}

interface FitValues {
  top: { indices: Int32Array; distances: Float32Array };
  qe: number;
  te: number;
  weights: Float32Array;
  history: number[];
}

/** Everything the checks compare, computed on one backend. */
interface Values {
  backend: string;
  distances: Map<string, DistanceValues>;
  search: Map<string, SearchValues>;
  fits: Map<string, FitValues>;
}

async function rowsOf(t: tf.Tensor): Promise<number[][]> {
  // Asynchronous reads only: tfjs-webgpu in Node has no synchronous readback (no canvas).
  return (await t.array()) as number[][];
}

function settingsFor(impl: SomConformanceImpl, opts: SomConformanceOptions, c: { rule: 'minibatch' | 'batch-map'; topology: 'rectangular' | 'hexagonal' }): SomConformanceSettings {
  const distance = asDistance(impl.distances[0] as DistancePlugin | SomConformanceDistance).plugin;
  return {
    rows: opts.rows ?? 6,
    cols: opts.cols ?? 6,
    dims: 4,
    epochs: opts.epochs ?? 3,
    batchSize: 16,
    sigma: 1.5,
    learningRate: 0.5,
    seed: opts.seed ?? 7,
    init: 'pca',
    rule: c.rule,
    topology: c.topology,
    distance,
    search: impl.search,
    plugins: [distance, impl.search],
  };
}

const caseKey = (c: { rule: string; topology: string }): string => `${c.rule}/${c.topology}`;

const DEFAULT_CASES = Object.freeze([
  { rule: 'minibatch', topology: 'rectangular' },
  { rule: 'batch-map', topology: 'hexagonal' },
] as const);

type SearchCtx = Parameters<SearchStrategy['search']>[3];
type SearchOut = ReturnType<SearchStrategy['search']>;

/** The search as core calls it: the strategy's `searchAsync` when it has one (it is preferred when present), else `search`. */
function searchWith(b: SearchStrategy, x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchCtx): Promise<SearchOut> {
  return typeof b.searchAsync === 'function' ? b.searchAsync(x, w, k, ctx) : Promise.resolve(b.search(x, w, k, ctx));
}

/**
 * Runs `fn` with the GPU backends' CPU forwarding off: tfjs-webgpu (and webgl) compute ops on
 * small CPU-resident tensors (under 1000 elements) on the CPU, which would leave the tiny
 * conformance shapes untested on the GPU. Restores the flags afterwards.
 */
async function withoutCpuForwarding<T>(fn: () => Promise<T>): Promise<T> {
  const env = tf.env();
  const registry = (env as unknown as { flagRegistry?: Record<string, unknown> }).flagRegistry;
  const saved: Array<[string, boolean]> = [];
  for (const flag of ['WEBGPU_CPU_FORWARD', 'WEBGL_CPU_FORWARD']) {
    if (registry?.[flag] === undefined) continue;
    saved.push([flag, env.getBool(flag)]);
    env.set(flag, false);
  }
  try {
    return await fn();
  } finally {
    for (const [flag, value] of saved) env.set(flag, value);
  }
}

/** Computes every value on the active backend, leaving no tensors behind. */
async function computeValues(impl: SomConformanceImpl, opts: SomConformanceOptions, f: Fixtures): Promise<Values> {
  const out: Values = { backend: tf.getBackend(), distances: new Map(), search: new Map(), fits: new Map() };
  const before = tf.memory().numTensors;
  for (const d of impl.distances.map(asDistance)) {
    const p = d.plugin;
    {
      const x = tf.tensor2d(f.kernel.x);
      const w = tf.tensor2d(f.kernel.w);
      const pw = p.pairwise(x, w);
      const rv = p.pairwise(w, x);
      const v: DistanceValues = { pairwise: await rowsOf(pw), reversed: await rowsOf(rv) };
      if (pw.shape.length !== 2 || pw.shape[0] !== f.kernel.x.length || pw.shape[1] !== f.kernel.w.length || pw.dtype !== 'float32') {
        tf.dispose([x, w, pw, rv]);
        fail(`distance '${p.name}'`, `pairwise(x [6, 5], w [9, 5]) must be float32 [6, 9], got ${pw.dtype} [${pw.shape.join(', ')}]`);
      }
      if (p.prepare !== undefined) {
        const prep = p.prepare(w);
        const s = prep.score(x);
        const td = prep.toDistance(s);
        v.prepared = await rowsOf(td);
        tf.dispose([s, td]);
        prep.dispose();
      }
      tf.dispose([x, w, pw, rv]);
      out.distances.set(p.name, v);
    }
    {
      const x = tf.tensor2d(f.search.x);
      const w = tf.tensor2d(f.search.w);
      const ctx = { backend: tf.getBackend(), distance: p, units: f.search.w.length, dims: 4 };
      await impl.search.rebuild?.(w);
      const r1 = await searchWith(impl.search, x, w, 1, ctx);
      const r3 = await searchWith(impl.search, x, w, 3, ctx);
      if (r1.indices.dtype !== 'int32' || r3.distances.dtype !== 'float32') {
        tf.dispose([x, w, r1.indices, r1.distances, r3.indices, r3.distances]);
        fail(`search '${impl.search.name}'`, `expected int32 indices and float32 distances, got ${r1.indices.dtype}/${r3.distances.dtype}`);
      }
      out.search.set(p.name, {
        k1: { indices: await rowsOf(r1.indices), distances: await rowsOf(r1.distances) },
        k3: { indices: await rowsOf(r3.indices), distances: await rowsOf(r3.distances) },
      });
      tf.dispose([x, w, r1.indices, r1.distances, r3.indices, r3.distances]);
    }
  }
  for (const c of opts.cases ?? DEFAULT_CASES) {
    const key = caseKey(c);
    const som = impl.createSom(settingsFor(impl, opts, c));
    try {
      await som.fit(f.blobs);
      const top = await som.topUnits(f.blobs, 3);
      const { qe, te } = await som.evaluate(f.blobs);
      out.fits.set(key, { top, qe, te, weights: som.getWeights(), history: [...som.history.qe] });
    } finally {
      som.dispose();
    }
  }
  const left = tf.memory().numTensors - before;
  if (left !== 0) fail(`on '${out.backend}'`, `the conformance computations left ${left} tensor(s) behind (a kernel, the search or the SOM leaks)`);
  return out;
}

function closeRows(who: string, what: string, actual: number[][], expected: number[][], tol: number): void {
  expected.forEach((r, i) =>
    r.forEach((e, j) => {
      const a = actual[i]?.[j];
      if (a === undefined || !Number.isFinite(a) || Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) {
        fail(who, `${what}: [${i}, ${j}] is ${a}, expected ${e} (tolerance ${tol}·max(1, |e|))`);
      }
    }),
  );
}

function transpose(m: number[][]): number[][] {
  return (m[0] ?? []).map((_, j) => m.map((r) => r[j] as number));
}

/** Units ranked by exact distance, with those distances (plain JS). */
function ranking(d: readonly number[]): number[] {
  return d.map((_, j) => j).sort((a, b) => (d[a] as number) - (d[b] as number) || a - b);
}

function tied(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** What {@link somChecks}.fit measured (the largest errors it accepted). */
export interface SomFitReport {
  /** Samples whose best two units are a near-tie on the reference backend. */
  readonly ties: number;
  /** Samples with a near-tie among their best three units. */
  readonly secondTies: number;
  /** Samples whose BMU differs from the reference. */
  readonly movedHits: number;
  readonly qeRelative: number;
  readonly historyRelative: number;
  /** Largest scaled codebook error. */
  readonly weights: number;
  /** |TE − TE_ref|. */
  readonly te: number;
}

/** The checks behind {@link runSomConformance}; each throws a {@link ConformanceError}. */
export const somChecks = {
  /** pairwise vs plain JS and the reference backend; symmetry; prepare/score/toDistance vs pairwise. */
  distance(d: SomConformanceDistance, f: Fixtures, got: Values, ref: Values, tol: SomConformanceTolerances): void {
    const p = d.plugin;
    const who = `distance '${p.name}' on ${got.backend}`;
    const v = got.distances.get(p.name);
    const r = ref.distances.get(p.name);
    if (v === undefined || r === undefined) fail(who, 'no values were computed');
    v.pairwise.forEach((row, i) =>
      row.forEach((x, j) => {
        if (!Number.isFinite(x) || x < 0) fail(who, `pairwise[${i}, ${j}] = ${x}; distances must be finite and non-negative`);
      }),
    );
    const js = d.reference ?? JS_DISTANCES[p.name];
    if (js !== undefined) {
      const exact = f.kernel.x.map((a) => f.kernel.w.map((b) => js(a, b)));
      closeRows(who, 'pairwise vs plain JS (float64)', v.pairwise, exact, tol.distance);
    }
    closeRows(who, `pairwise vs the ${ref.backend} backend`, v.pairwise, r.pairwise, tol.distance);
    closeRows(who, 'pairwise(w, x)ᵀ vs pairwise(x, w)', transpose(v.reversed), v.pairwise, tol.distance);
    if (v.prepared !== undefined) closeRows(who, 'toDistance(prepare(w).score(x)) vs pairwise(x, w)', v.prepared, v.pairwise, tol.distance);
  },

  /** k = 1 and k = 3 against a plain-JS brute force (ties allowed only where distances tie) and the reference backend. */
  search(impl: SomConformanceImpl, d: SomConformanceDistance, f: Fixtures, got: Values, ref: Values, tol: SomConformanceTolerances): void {
    const p = d.plugin;
    const who = `search '${impl.search.name}' under '${p.name}' on ${got.backend}`;
    const v = got.search.get(p.name);
    const r = ref.search.get(p.name);
    if (v === undefined || r === undefined) fail(who, 'no values were computed');
    const js = d.reference ?? JS_DISTANCES[p.name];
    // Exact distances in plain JS when known; otherwise only the reference backend is compared.
    const exact: number[][] | undefined = js === undefined ? undefined : f.search.x.map((a) => f.search.w.map((b) => js(a, b)));
    for (const [k, res, refRes] of [[1, v.k1, r.k1], [3, v.k3, r.k3]] as const) {
      res.indices.forEach((idx, i) => {
        if (idx.length !== k) fail(who, `row ${i}: expected ${k} units, got ${idx.length}`);
        if (new Set(idx).size !== k) fail(who, `row ${i} repeats a unit: [${idx.join(', ')}]`);
        const dist = res.distances[i] ?? [];
        for (let j = 0; j < k; j++) {
          const unit = idx[j] as number;
          if (exact !== undefined) {
            const row = exact[i] as number[];
            const order = ranking(row);
            const want = order[j] as number;
            if (unit !== want && !tied(row[unit] as number, row[want] as number, tol.tie)) {
              fail(who, `k = ${k}, row ${i}, rank ${j}: unit ${unit} (exact distance ${row[unit]}), the plain-JS brute force has unit ${want} (${row[want]})`);
            }
            if (Math.abs((dist[j] as number) - (row[unit] as number)) > tol.distance * Math.max(1, row[unit] as number)) {
              fail(who, `k = ${k}, row ${i}, rank ${j}: reported distance ${dist[j]} for unit ${unit}, the exact one is ${row[unit]}`);
            }
          }
          const refUnit = refRes.indices[i]?.[j] as number;
          const refDist = refRes.distances[i] ?? [];
          if (unit !== refUnit && !tied(dist[j] as number, refDist[j] as number, tol.tie)) {
            fail(who, `k = ${k}, row ${i}, rank ${j}: unit ${unit}, the ${ref.backend} backend found ${refUnit}`);
          }
          if (Math.abs((dist[j] as number) - (refDist[j] as number)) > tol.distance * Math.max(1, Math.abs(refDist[j] as number))) {
            fail(who, `k = ${k}, row ${i}, rank ${j}: distance ${dist[j]}, the ${ref.backend} backend has ${refDist[j]}`);
          }
          if (j > 0 && (dist[j] as number) < (dist[j - 1] as number) - tol.distance) fail(who, `row ${i}: distances are not ascending: [${dist.join(', ')}]`);
        }
      });
    }
  },

  /** Training on 3 blobs: same BMUs and hit counts, QE and codebook within tolerance of the reference backend. */
  fit(key: string, n: number, got: Values, ref: Values, tol: SomConformanceTolerances): SomFitReport {
    const who = `SOM fit (${key}) on ${got.backend}`;
    const v = got.fits.get(key);
    const r = ref.fits.get(key);
    if (v === undefined || r === undefined) fail(who, 'no values were computed');
    // BMUs: equal, unless the reference's best two units are a near-tie for that sample.
    let ties = 0;
    const hits = new Map<number, number>();
    const refHits = new Map<number, number>();
    let secondTies = 0;
    for (let i = 0; i < n; i++) {
      const [b0, b1] = [r.top.indices[3 * i], r.top.indices[3 * i + 1]] as number[];
      const [d0, d1, d2] = [r.top.distances[3 * i], r.top.distances[3 * i + 1], r.top.distances[3 * i + 2]] as number[];
      const bmu = v.top.indices[3 * i] as number;
      refHits.set(b0 as number, (refHits.get(b0 as number) ?? 0) + 1);
      hits.set(bmu, (hits.get(bmu) ?? 0) + 1);
      const tie01 = tied(d0 as number, d1 as number, tol.tie);
      if (tie01) ties++;
      if (bmu !== b0 && !(tie01 && bmu === b1)) {
        fail(who, `sample ${i}: BMU ${bmu}, the ${ref.backend} backend found ${b0} (distances ${d0} vs ${d1} for its runner-up ${b1}: not a near-tie)`);
      }
      if (tied(d1 as number, d2 as number, tol.tie) || tie01) secondTies++;
    }
    // Hit counts: equal per unit; each near-tie may move one hit.
    let moved = 0;
    for (const u of new Set([...hits.keys(), ...refHits.keys()])) moved += Math.abs((hits.get(u) ?? 0) - (refHits.get(u) ?? 0));
    if (moved > 2 * ties) fail(who, `hit counts differ from the ${ref.backend} backend by ${moved / 2} sample(s), with only ${ties} near-tie(s)`);
    if (!(Math.abs(v.qe - r.qe) <= tol.qeRelative * Math.abs(r.qe))) {
      fail(who, `QE ${v.qe}, the ${ref.backend} backend has ${r.qe} (relative difference ${Math.abs(v.qe - r.qe) / Math.abs(r.qe)} > ${tol.qeRelative})`);
    }
    // TE: each sample whose second or third unit is a near-tie may count differently.
    if (!(Math.abs(v.te - r.te) <= secondTies / n + 1e-12)) {
      fail(who, `TE ${v.te}, the ${ref.backend} backend has ${r.te}; only ${secondTies} sample(s) have a near-tie that could explain it`);
    }
    if (v.history.length !== r.history.length) fail(who, `history has ${v.history.length} epochs, the ${ref.backend} backend ${r.history.length}`);
    v.history.forEach((h, e) => {
      const e0 = r.history[e] as number;
      if (!(Math.abs(h - e0) <= tol.historyRelative * Math.abs(e0))) fail(who, `epoch ${e} training QE ${h}, the ${ref.backend} backend has ${e0}`);
    });
    let worst = 0;
    let at = -1;
    for (let i = 0; i < r.weights.length; i++) {
      const e = r.weights[i] as number;
      const err = Math.abs((v.weights[i] as number) - e) / Math.max(1, Math.abs(e));
      if (!(err <= worst)) {
        worst = err;
        at = i;
      }
    }
    if (!(worst <= tol.weights)) fail(who, `codebook element ${at} is ${v.weights[at]}, the ${ref.backend} backend has ${r.weights[at]} (scaled error ${worst} > ${tol.weights})`);
    return {
      ties,
      secondTies,
      movedHits: moved / 2,
      qeRelative: Math.abs(v.qe - r.qe) / Math.abs(r.qe),
      historyRelative: Math.max(0, ...v.history.map((h, e) => Math.abs(h - (r.history[e] as number)) / Math.abs(r.history[e] as number))),
      weights: worst,
      te: Math.abs(v.te - r.te),
    };
  },
};

/**
 * Cross-backend conformance of the whole pipeline on the current tfjs backend, as a vitest
 * `describe` block (call it inside `describeBackends`): the distance kernels (values against plain
 * JS in float64 and against the reference backend, symmetry, prepared form), the exact search
 * (k = 1 and k = 3 against a plain-JS brute force and the reference backend) and SOM training
 * (3 well-separated blobs, 6 × 6 map, 3 epochs, minibatch on a rectangular grid and batch-map on
 * a hexagonal one: same BMUs and hit counts, QE, per-epoch QE and codebook within
 * {@link SOM_CONFORMANCE_TOLERANCES}). Reference values are computed in the same process on the
 * `cpu` backend (it must be registered), then the tested backend is made active again. All reads
 * are asynchronous, so it runs on WebGPU in Node too; the GPU backends' CPU forwarding of small
 * tensors (`WEBGPU_CPU_FORWARD`, `WEBGL_CPU_FORWARD`) is switched off while the tested backend
 * computes, so the tiny shapes really run in shaders.
 *
 * ```ts
 * import { SOM } from '@somkit/core';
 * import { euclidean, cosine } from '@somkit/kernels';
 * import { bruteForce } from '@somkit/search';
 * describeBackends(['cpu', 'wasm'], () =>
 *   runSomConformance({ createSom: (s) => new SOM(s), distances: [euclidean(), cosine()], search: bruteForce() }));
 * ```
 */
export function runSomConformance(impl: SomConformanceImpl, opts: SomConformanceOptions = {}): void {
  const reference = opts.reference ?? 'cpu';
  const tol: SomConformanceTolerances = { ...SOM_CONFORMANCE_TOLERANCES, ...opts.tolerances };
  const f = fixtures(opts.seed ?? 11);
  const distances = impl.distances.map(asDistance);
  describe(opts.title ?? `SOM conformance vs ${reference}`, () => {
    let got: Values | undefined;
    let ref: Values | undefined;
    let setupError: unknown;
    beforeAll(async () => {
      try {
        const current = tf.getBackend();
        if (tf.findBackendFactory(reference) == null) {
          throw new ConformanceError(`the reference backend '${reference}' is not registered; import @tensorflow/tfjs-backend-${reference} first`);
        }
        await tf.setBackend(reference);
        await tf.ready();
        ref = await computeValues(impl, opts, f);
        if (!(await tf.setBackend(current))) throw new ConformanceError(`could not switch back to '${current}' after computing the reference`);
        await tf.ready();
        got = current === reference ? ref : await withoutCpuForwarding(() => computeValues(impl, opts, f));
      } catch (e) {
        setupError = e;
      }
    }, opts.timeout ?? 120_000);
    const values = (): [Values, Values] => {
      if (setupError !== undefined) throw setupError;
      if (got === undefined || ref === undefined) throw new ConformanceError('the values were not computed (beforeAll did not run)');
      return [got, ref];
    };
    for (const d of distances) {
      it(`kernel '${d.plugin.name}': pairwise matches plain JS (float64) and the ${reference} backend, symmetric, prepared form agrees`, () => {
        const [g, r] = values();
        somChecks.distance(d, f, g, r, tol);
      });
      it(`search '${impl.search.name}' under '${d.plugin.name}': k = 1 and k = 3 match a plain-JS brute force and the ${reference} backend`, () => {
        const [g, r] = values();
        somChecks.search(impl, d, f, g, r, tol);
      });
    }
    for (const c of opts.cases ?? DEFAULT_CASES) {
      const key = caseKey(c);
      it(`fit (${c.rule}, ${c.topology} ${opts.rows ?? 6}×${opts.cols ?? 6}, 3 blobs): same BMUs and hit counts, QE, history and codebook as on ${reference}`, () => {
        const [g, r] = values();
        const report = somChecks.fit(key, f.blobs.length, g, r, tol);
        opts.onReport?.(g.backend, key, report);
      });
    }
  });
}
