import * as tf from '@tensorflow/tfjs-core';
import type { DistancePlugin, SearchContext, SearchResult, SearchStrategy } from '@somkit/plugin-api';
import { describe, it } from 'vitest';
import { expectNoLeaks } from '../leaks.js';
import { checkInputsIntact, checkMetadata, created, fail, rng, rows } from './util.js';

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

function context(opts: SearchConformanceOptions, f: Fixture): SearchContext {
  return { backend: tf.getBackend(), distance: opts.distance, units: f.w.length, dims: f.w[0]?.length ?? 0 };
}

/** Which entry point of the strategy a check calls. */
type Mode = 'sync' | 'async';

const entry = (mode: Mode): string => (mode === 'sync' ? 'search' : 'searchAsync');

/** Runs the search like the caller would (rebuild first), reads the result, disposes everything. */
async function searchOnce(
  b: SearchStrategy,
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

/** The strategy's `searchAsync`, bound; fails when it has none. */
function asyncSearch(b: SearchStrategy): NonNullable<SearchStrategy['searchAsync']> {
  const fn = b.searchAsync;
  if (typeof fn !== 'function') fail(`search '${b.name}'`, 'has no searchAsync() function');
  return fn.bind(b);
}

function checkResult(b: SearchStrategy, opts: SearchConformanceOptions, f: Fixture, k: number, r: Awaited<ReturnType<typeof searchOnce>>, mode: Mode = 'sync'): void {
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

function supported(b: SearchStrategy, opts: SearchConformanceOptions, f: Fixture, skip: Skip): void {
  const s = b.supports(context(opts, f));
  if (s !== true) skip(`supports() refused this context: ${s}`);
}

/** The checks behind {@link runSearchConformance}, one per test; each throws on failure. */
export const searchChecks = {
  metadata(b: SearchStrategy): void {
    checkMetadata('search', b);
    const who = `search '${b.name}'`;
    if (typeof b.priority !== 'number' || !Number.isFinite(b.priority)) fail(who, `priority must be a finite number, got ${String(b.priority)}`);
    for (const m of ['supports', 'search'] as const) if (typeof b[m] !== 'function') fail(who, `has no ${m}() function`);
    for (const m of ['searchAsync', 'rebuild', 'dispose'] as const) if (b[m] !== undefined && typeof b[m] !== 'function') fail(who, `${m} must be a function when present`);
    if (b.exact !== undefined && typeof b.exact !== 'boolean') fail(who, `exact must be a boolean when present, got ${JSON.stringify(b.exact)}`);
  },

  supports(b: SearchStrategy, opts: SearchConformanceOptions): true | string {
    const s = b.supports(context(opts, fixture(opts)));
    if (s !== true && (typeof s !== 'string' || s.length === 0)) fail(`search '${b.name}'`, `supports() must return true or a non-empty reason string, got ${JSON.stringify(s)}`);
    return s;
  },

  /** k = 1 finds the exact nearest unit; `mode: 'async'` checks `searchAsync` instead of `search`. */
  async nearest(b: SearchStrategy, opts: SearchConformanceOptions, skip?: Skip, mode: Mode = 'sync'): Promise<void> {
    const f = fixture(opts);
    if (skip) supported(b, opts, f, skip);
    const r = await searchOnce(b, opts, f, 1, mode);
    checkResult(b, opts, f, 1, r, mode);
    r.indices.forEach((idx, i) => {
      if (idx[0] !== f.order[i]?.[0]) fail(`search '${b.name}' ${entry(mode)} (k = 1)`, `row ${i}: found unit ${idx[0]}, the exact brute force finds ${f.order[i]?.[0]}`);
    });
  },

  /** k nearest units as an exact brute force; `mode: 'async'` checks `searchAsync`. */
  async topK(b: SearchStrategy, opts: SearchConformanceOptions, k: number, skip?: Skip, mode: Mode = 'sync'): Promise<void> {
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
  async noLeaksAsync(b: SearchStrategy, opts: SearchConformanceOptions, skip?: Skip): Promise<void> {
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
   * For a strategy declaring `exact: true`: exact ties go to the lower unit index, as the contract
   * says (engines that run their own exact search in its place rely on it). The codebook is the
   * fixture's first ⌊u/2⌋ units twice (unit j + h equals unit j) and every sample lies near one of
   * them, so its nearest distance is reached by two units: k = 1 must return the lower one, k = 2
   * both, the lower first, with the same distance. `mode: 'async'` checks `searchAsync`.
   */
  async exactTies(b: SearchStrategy, opts: SearchConformanceOptions, skip?: Skip, mode: Mode = 'sync'): Promise<void> {
    const base = fixture(opts);
    const h = Math.floor(base.w.length / 2);
    const who = `search '${b.name}' ${entry(mode)}, exact ties`;
    if (h < 1) fail(who, 'needs at least 2 units');
    const w = [...base.w.slice(0, h), ...base.w.slice(0, h)];
    const next = rng((opts.seed ?? 7) + 11);
    const x = base.x.map((_, i) => (w[(i * 5) % h] as number[]).map((v) => v + 0.2 * (next() - 0.5)));
    const d = referenceDistances(opts, x, w);
    const order = d.map((r) => r.map((_, j) => j).sort((p, q) => (r[p] as number) - (r[q] as number) || p - q));
    const f: Fixture = { x, w, d, order };
    if (skip) supported(b, opts, f, skip);
    for (const k of [1, 2]) {
      const r = await searchOnce(b, opts, f, k, mode);
      r.indices.forEach((idx, i) => {
        const nearest = f.order[i]![0]! % h;
        const want = k === 1 ? [nearest] : [nearest, nearest + h];
        if (idx.length !== k || idx.some((v, j) => v !== want[j])) {
          fail(who, `(k = ${k}) row ${i}: returned units [${idx.join(', ')}], expected [${want.join(', ')}] (units ${nearest} and ${nearest + h} are equal, so the tie goes to the lower index first)`);
        }
        const dist = r.distances[i] ?? [];
        if (k === 2 && !(Math.abs((dist[0] as number) - (dist[1] as number)) <= (opts.tol ?? 1e-3) * Math.max(1, Math.abs(dist[0] as number)))) {
          fail(who, `(k = 2) row ${i}: the equal units ${nearest} and ${nearest + h} got distances ${dist[0]} and ${dist[1]}`);
        }
      });
    }
  },

  async noLeaks(b: SearchStrategy, opts: SearchConformanceOptions, skip?: Skip): Promise<void> {
    const f = fixture(opts);
    if (skip) supported(b, opts, f, skip);
    const who = `search '${b.name}'`;
    const x = tf.tensor2d(f.x);
    const w = tf.tensor2d(f.w);
    try {
      // Index state built by rebuild() is the strategy's to keep; only search() is checked.
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
 * The conformance suite of a search strategy (what the model means by best unit), as a vitest
 * `describe` block on the current tfjs backend. Results are checked against an exact brute force
 * computed in the suite on well-separated data, where even an approximate index finds the true
 * nearest units: same unit for k = 1; for k = 3 and k = u, each returned unit is a true j-th
 * nearest with its true distance, ascending; int32 indices and float32 distances of shape [n, k];
 * no leaks, inputs untouched; `supports()` returns true or a reason (when it refuses the context,
 * the search tests are skipped with that reason). A strategy with `searchAsync` gets the same
 * result and leak checks through it. One declaring `exact: true` is also checked to break exact
 * ties toward the lower unit index (engines rely on that when they run their own exact search
 * in its place). Engines (the training kernels) have their own suite, `runEngineConformance`.
 *
 * ```ts
 * describeBackends(['cpu', 'wasm'], () => runSearchConformance(myIndex(), { distance: euclidean() }));
 * ```
 */
export function runSearchConformance(strategy: SearchStrategy, opts: SearchConformanceOptions): void {
  describe(opts.title ?? `search conformance: ${strategy.name}`, () => {
    it('is a frozen search plugin (kind, name, apiVersion 1 or 2, priority, JSON options, boolean exact)', () => searchChecks.metadata(strategy));
    it('supports(ctx) returns true or a reason string', () => {
      searchChecks.supports(strategy, opts);
    });
    it('k = 1 finds the same unit as an exact brute force', ({ skip }) => searchChecks.nearest(strategy, opts, skip));
    it('k = 3: [n, 3] int32 indices, ascending distances, as the brute force', ({ skip }) => searchChecks.topK(strategy, opts, 3, skip));
    it('k = u ranks every unit', ({ skip }) => searchChecks.topK(strategy, opts, opts.units ?? 24, skip));
    it('leaves no tensors behind, is tidy-safe and leaves its inputs untouched', ({ skip }) => searchChecks.noLeaks(strategy, opts, skip));
    if (strategy.exact === true) {
      it('exact: equal units tie to the lower unit index', ({ skip }) => searchChecks.exactTies(strategy, opts, skip));
    }
    if (typeof strategy.searchAsync === 'function') {
      it('searchAsync: k = 1 finds the same unit as an exact brute force', ({ skip }) => searchChecks.nearest(strategy, opts, skip, 'async'));
      it('searchAsync: k = 3 as the brute force', ({ skip }) => searchChecks.topK(strategy, opts, 3, skip, 'async'));
      it('searchAsync: k = u ranks every unit', ({ skip }) => searchChecks.topK(strategy, opts, opts.units ?? 24, skip, 'async'));
      it('searchAsync: leaves only its result tensors and its inputs untouched', ({ skip }) => searchChecks.noLeaksAsync(strategy, opts, skip));
      if (strategy.exact === true) {
        it('searchAsync, exact: equal units tie to the lower unit index', ({ skip }) => searchChecks.exactTies(strategy, opts, skip, 'async'));
      }
    }
  });
}
