import * as tf from '@tensorflow/tfjs-core';
import type { DistancePlugin, PreparedDistance } from '@somkit/plugin-api';
import { describe, it } from 'vitest';
import { expectClose } from '../expectClose.js';
import { expectNoLeaks } from '../leaks.js';
import { checkInputsIntact, checkMetadata, created, fail, randomMatrix, rng, rows } from './util.js';

/** Options of {@link runDistanceConformance}. */
export interface DistanceConformanceOptions {
  /** Title of the `describe` block (default `distance conformance: <name>`). */
  readonly title?: string;
  /** Features of the generated data (default 5). */
  readonly dims?: number;
  /** Samples (default 6) and codebook units (default 9) of the generated data. */
  readonly n?: number;
  readonly units?: number;
  /** Range of the generated values (default [0.1, 1.1]: positive, so cosine- or log-based distances are defined). */
  readonly range?: readonly [number, number];
  /** Tolerance for values that must agree, scaled by max(1, |expected|) (default 1e-4). */
  readonly tol?: number;
  /** Tolerance for d(x, x) ≈ 0 (default 1e-2: float32 expansions like ‖x‖² + ‖w‖² − 2x·w lose digits near 0). */
  readonly identityTol?: number;
  /** `false` for distances that are not symmetric (divergences); skips the symmetry check. */
  readonly symmetric?: boolean;
  /** `false` for distances with d(x, x) ≠ 0; skips the identity check. */
  readonly identity?: boolean;
  readonly seed?: number;
}

interface Data {
  x: number[][];
  w: number[][];
}

function data(opts: DistanceConformanceOptions): Data {
  const next = rng(opts.seed ?? 42);
  const d = opts.dims ?? 5;
  const [lo, hi] = opts.range ?? [0.1, 1.1];
  return { x: randomMatrix(next, opts.n ?? 6, d, lo, hi), w: randomMatrix(next, opts.units ?? 9, d, lo, hi) };
}

/** Scaled comparison: |a − e| ≤ tol·max(1, |e|), element-wise. */
function close(who: string, what: string, actual: number[][], expected: number[][], tol: number): void {
  const scale = Math.max(1, ...expected.flat().map(Math.abs));
  try {
    expectClose(actual, expected, tol * scale, 'abs', what);
  } catch (e) {
    fail(who, (e as Error).message);
  }
}

function transpose(m: number[][]): number[][] {
  return (m[0] ?? []).map((_, j) => m.map((r) => r[j] as number));
}

function argmin(r: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < r.length; i++) if ((r[i] as number) < (r[best] as number)) best = i;
  return best;
}

/** The checks behind {@link runDistanceConformance}, one per test; each throws on failure. */
export const distanceChecks = {
  metadata(p: DistancePlugin): void {
    checkMetadata('distance', p);
    if (typeof p.pairwise !== 'function') fail(`distance '${p.name}'`, 'has no pairwise() function');
    if (p.prepare !== undefined && typeof p.prepare !== 'function') fail(`distance '${p.name}'`, 'prepare must be a function when present');
  },

  shape(p: DistancePlugin, opts: DistanceConformanceOptions = {}): void {
    const who = `distance '${p.name}'`;
    const { x, w } = data(opts);
    for (const [xs, ws] of [[x, w], [x.slice(0, 1), w], [x, w.slice(0, 1)]] as const) {
      tf.tidy(() => {
        const out = p.pairwise(tf.tensor2d(xs), tf.tensor2d(ws));
        const want = [xs.length, ws.length];
        if (out.rank !== 2 || out.shape[0] !== want[0] || out.shape[1] !== want[1]) {
          fail(who, `pairwise(x [${xs.length}, d], w [${ws.length}, d]) must have shape [${want.join(', ')}], got [${out.shape.join(', ')}]`);
        }
        if (out.dtype !== 'float32') fail(who, `pairwise must return float32, got ${out.dtype}`);
      });
    }
  },

  nonNegative(p: DistancePlugin, opts: DistanceConformanceOptions = {}): void {
    const who = `distance '${p.name}'`;
    const { x, w } = data(opts);
    const values = tf.tidy(() => rows(p.pairwise(tf.tensor2d(x), tf.tensor2d(w))));
    values.forEach((r, i) =>
      r.forEach((v, j) => {
        if (!Number.isFinite(v)) fail(who, `pairwise[${i}, ${j}] is ${v}; distances must be finite`);
        if (v < 0) fail(who, `pairwise[${i}, ${j}] = ${v} < 0; distances must be non-negative`);
      }),
    );
  },

  identity(p: DistancePlugin, opts: DistanceConformanceOptions = {}): void {
    const who = `distance '${p.name}'`;
    const { x } = data(opts);
    const tol = opts.identityTol ?? 1e-2;
    const d = tf.tidy(() => rows(p.pairwise(tf.tensor2d(x), tf.tensor2d(x))));
    d.forEach((r, i) => {
      const self = r[i] as number;
      if (!(Math.abs(self) <= tol)) fail(who, `d(x[${i}], x[${i}]) = ${self}, expected ≈ 0 (tol ${tol})`);
      const j = argmin(r);
      if (j !== i && (r[j] as number) < self) fail(who, `sample ${i} is nearer to sample ${j} (${r[j]}) than to itself (${self})`);
    });
  },

  symmetry(p: DistancePlugin, opts: DistanceConformanceOptions = {}): void {
    const who = `distance '${p.name}'`;
    const { x, w } = data(opts);
    const [ab, ba] = tf.tidy(() => {
      const a = tf.tensor2d(x);
      const b = tf.tensor2d(w);
      return [rows(p.pairwise(a, b)), rows(p.pairwise(b, a))];
    });
    close(who, 'pairwise(a, b)ᵀ vs pairwise(b, a)', transpose(ab ?? []), ba ?? [], opts.tol ?? 1e-4);
  },

  prepared(p: DistancePlugin, opts: DistanceConformanceOptions = {}): void {
    const who = `distance '${p.name}' prepare()`;
    if (p.prepare === undefined) return;
    const { x, w } = data(opts);
    const tol = opts.tol ?? 1e-4;
    const xt = tf.tensor2d(x);
    const wt = tf.tensor2d(w);
    const before = tf.memory().numTensors;
    const prep = p.prepare(wt);
    try {
      const [direct, viaScore, score, chunked] = tf.tidy(() => {
        const s = prep.score(xt);
        if (s.shape[0] !== x.length || s.shape[1] !== w.length) fail(who, `score(x [${x.length}, d]) must be [${x.length}, ${w.length}], got [${s.shape.join(', ')}]`);
        const td = prep.toDistance(s);
        if (td === (s as tf.Tensor)) fail(who, 'toDistance must return a new tensor, not its input');
        const half = Math.ceil(x.length / 2);
        const parts = [prep.score(tf.slice(xt, [0, 0], [half, -1])), prep.score(tf.slice(xt, [half, 0], [-1, -1]))];
        return [rows(p.pairwise(xt, wt)), rows(td), rows(s), rows(tf.concat(parts, 0))];
      });
      close(who, 'toDistance(score(x)) vs pairwise(x, w)', viaScore ?? [], direct ?? [], tol);
      close(who, 'score of two chunks vs score of all', chunked ?? [], score ?? [], tol);
      (direct ?? []).forEach((r, i) => {
        const j = argmin(r);
        const k = argmin(score?.[i] ?? []);
        // A monotone surrogate ranks like the distance (ties aside).
        if (j !== k && Math.abs((r[k] as number) - (r[j] as number)) > tol * Math.max(1, Math.abs(r[j] as number))) {
          fail(who, `score ranks unit ${k} nearest to sample ${i}, pairwise ranks unit ${j}; score must be monotone in the distance`);
        }
      });
      // toDistance works on any shape (e.g. the [n] minimum of a score).
      tf.tidy(() => {
        const one = prep.toDistance(tf.min(prep.score(xt), 1));
        if (one.shape.length !== 1 || one.shape[0] !== x.length) fail(who, `toDistance of an [n] tensor must keep its shape, got [${one.shape.join(', ')}]`);
      });
    } finally {
      prep.dispose();
      const left = tf.memory().numTensors - before;
      xt.dispose();
      wt.dispose();
      if (left !== 0) fail(who, `prepare(w) … dispose() left ${left} tensor(s) behind`);
    }
  },

  async noLeaks(p: DistancePlugin, opts: DistanceConformanceOptions = {}): Promise<void> {
    const who = `distance '${p.name}'`;
    const { x, w } = data(opts);
    await expectNoLeaks(() => {
      const xt = tf.tensor2d(x);
      const wt = tf.tensor2d(w);
      const { value, added } = created(() => p.pairwise(xt, wt));
      value.dispose();
      if (added !== 1) fail(who, `pairwise must leave exactly its result behind, left ${added} tensors (wrap the body in tf.tidy)`);
      if (p.prepare !== undefined) {
        const prep = p.prepare(wt);
        const s = created(() => prep.score(xt));
        const d = created(() => prep.toDistance(s.value));
        s.value.dispose();
        d.value.dispose();
        prep.dispose();
        if (s.added !== 1) fail(who, `prepare().score must leave exactly its result behind, left ${s.added}`);
        if (d.added !== 1) fail(who, `prepare().toDistance must leave exactly its result behind, left ${d.added}`);
      }
      xt.dispose();
      wt.dispose();
    }, `${who} leak check`);
  },

  tidySafe(p: DistancePlugin, opts: DistanceConformanceOptions = {}): void {
    const who = `distance '${p.name}'`;
    const { x, w } = data(opts);
    const xt = tf.tensor2d(x);
    const wt = tf.tensor2d(w);
    const snapshot = [['x', xt, xt.dataSync().slice()], ['w', wt, wt.dataSync().slice()]] as const;
    try {
      const kept = tf.tidy(() => p.pairwise(xt, wt));
      checkInputsIntact(who, snapshot);
      if (kept.isDisposed) fail(who, 'the result returned from tf.tidy was disposed');
      kept.dispose();
      const direct = p.pairwise(xt, wt);
      direct.dispose();
      checkInputsIntact(who, snapshot);
      if (p.prepare !== undefined) {
        // Prepared inside a tidy: the held codebook state must survive it (tf.keep).
        let prep: PreparedDistance | undefined;
        tf.tidy(() => {
          prep = p.prepare?.(wt);
        });
        try {
          tf.tidy(() => {
            prep?.toDistance(prep.score(xt));
          });
        } catch (e) {
          fail(who, `prepare(w) called inside tf.tidy lost its state (${(e as Error).message}); tf.keep the tensors it holds`);
        } finally {
          prep?.dispose();
        }
      }
      checkInputsIntact(who, snapshot);
    } finally {
      xt.dispose();
      wt.dispose();
    }
  },
};

/**
 * The conformance suite for a distance plugin, as a vitest `describe` block on the current
 * backend (wrap it in `describeBackends` to cover several): metadata (frozen, kind, name,
 * apiVersion 1 or 2, JSON options), shape [n, u], finite non-negative values, identity d(x, x) ≈ 0,
 * symmetry, `prepare`/`score`/`toDistance` consistent with `pairwise`, no leaks, tidy-safety.
 *
 * ```ts
 * describeBackends(['cpu', 'wasm'], () => runDistanceConformance(hamming()));
 * ```
 */
export function runDistanceConformance(plugin: DistancePlugin, opts: DistanceConformanceOptions = {}): void {
  describe(opts.title ?? `distance conformance: ${plugin.name}`, () => {
    it('is a frozen distance plugin (kind, name, apiVersion 1 or 2, JSON options)', () => distanceChecks.metadata(plugin));
    it('pairwise(x [n, d], w [u, d]) returns float32 [n, u]', () => distanceChecks.shape(plugin, opts));
    it('distances are finite and non-negative', () => distanceChecks.nonNegative(plugin, opts));
    if (opts.identity === false) it.skip('identity — skipped: opts.identity is false', () => undefined);
    else it('identity: d(x, x) ≈ 0 and each sample is nearest to itself', () => distanceChecks.identity(plugin, opts));
    if (opts.symmetric === false) it.skip('symmetry — skipped: opts.symmetric is false', () => undefined);
    else it('symmetry: pairwise(a, b)ᵀ ≈ pairwise(b, a)', () => distanceChecks.symmetry(plugin, opts));
    if (plugin.prepare === undefined) it.skip('prepare — skipped: the plugin has no prepare()', () => undefined);
    else it('prepare: toDistance(score(x)) ≈ pairwise(x, w), chunks agree, score ranks like the distance', () => distanceChecks.prepared(plugin, opts));
    it('leaves no tensors behind (pairwise, prepare, score, toDistance, dispose)', () => distanceChecks.noLeaks(plugin, opts));
    it('is tidy-safe: works inside tf.tidy, never disposes or changes its inputs', () => distanceChecks.tidySafe(plugin, opts));
  });
}
