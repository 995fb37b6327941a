import * as tf from '@tensorflow/tfjs-core';
import type { NeighborhoodPlugin } from '@somkit/plugin-api';
import { describe, it } from 'vitest';
import { expectNoLeaks } from '../leaks.js';
import { checkInputsIntact, checkMetadata, created, fail } from './util.js';

/** Options of {@link runNeighborhoodConformance}. */
export interface NeighborhoodConformanceOptions {
  /** Title of the `describe` block (default `neighborhood conformance: <name>`). */
  readonly title?: string;
  /** Radii to check (default [0.5, 1, 3]). */
  readonly sigmas?: readonly number[];
  /** Tolerance of the value at 0 and of the monotonicity check (default 1e-5). */
  readonly tol?: number;
  /** The grid of d² spans [0, farthest·σ²] (default 100, i.e. grid distances up to 10σ). */
  readonly farthest?: number;
}

function sigmas(opts: NeighborhoodConformanceOptions): readonly number[] {
  return opts.sigmas ?? [0.5, 1, 3];
}

/** d² values: a fine linear grid on [0, top] plus σ² itself and the integers (grid distances). */
function grid(top: number, sigma: number): number[] {
  const g = Array.from({ length: 2001 }, (_, i) => (top * i) / 2000);
  for (let i = 0; i <= Math.min(top, 400); i++) g.push(i);
  g.push(sigma * sigma);
  return [...new Set(g)].sort((a, b) => a - b);
}

function weightsOf(p: NeighborhoodPlugin, d2: number[], sigma: number): Float32Array {
  return tf.tidy(() => p.weights(tf.tensor1d(d2), sigma).dataSync() as Float32Array);
}

/** The checks behind {@link runNeighborhoodConformance}, one per test; each throws on failure. */
export const neighborhoodChecks = {
  metadata(p: NeighborhoodPlugin): void {
    checkMetadata('neighborhood', p);
    if (typeof p.weights !== 'function') fail(`neighborhood '${p.name}'`, 'has no weights() function');
    if (typeof p.nonNegative !== 'boolean') fail(`neighborhood '${p.name}'`, `nonNegative must be a boolean, got ${String(p.nonNegative)}`);
  },

  oneAtZero(p: NeighborhoodPlugin, opts: NeighborhoodConformanceOptions = {}): void {
    const tol = opts.tol ?? 1e-5;
    for (const s of sigmas(opts)) {
      const w = weightsOf(p, [0, 0, 0], s);
      w.forEach((v) => {
        if (!(Math.abs(v - 1) <= tol)) fail(`neighborhood '${p.name}'`, `weights(d² = 0, σ = ${s}) = ${v}, expected 1`);
      });
    }
  },

  shape(p: NeighborhoodPlugin): void {
    const who = `neighborhood '${p.name}'`;
    for (const shape of [[7], [3, 4], [2, 3, 2], [1, 1]]) {
      tf.tidy(() => {
        const size = shape.reduce((a, b) => a * b, 1);
        const d2 = tf.tensor(Array.from({ length: size }, (_, i) => i % 9), shape);
        const out = p.weights(d2, 1.5);
        if (out.shape.join(',') !== shape.join(',')) fail(who, `weights of a [${shape.join(', ')}] input has shape [${out.shape.join(', ')}]; it must keep the shape`);
        if (out.dtype !== 'float32') fail(who, `weights must be float32, got ${out.dtype}`);
      });
    }
  },

  monotoneNearCentre(p: NeighborhoodPlugin, opts: NeighborhoodConformanceOptions = {}): void {
    const tol = opts.tol ?? 1e-5;
    for (const s of sigmas(opts)) {
      const d2 = grid(s * s, s);
      const w = weightsOf(p, d2, s);
      for (let i = 1; i < d2.length; i++) {
        if ((w[i] as number) > (w[i - 1] as number) + tol) {
          fail(`neighborhood '${p.name}'`, `weights increase from d² = ${d2[i - 1]} (${w[i - 1]}) to d² = ${d2[i]} (${w[i]}) at σ = ${s}; they must not increase for d² ≤ σ²`);
        }
      }
    }
  },

  finite(p: NeighborhoodPlugin, opts: NeighborhoodConformanceOptions = {}): void {
    for (const s of sigmas(opts)) {
      const d2 = grid((opts.farthest ?? 100) * s * s, s);
      const w = weightsOf(p, d2, s);
      w.forEach((v, i) => {
        if (!Number.isFinite(v)) fail(`neighborhood '${p.name}'`, `weights(d² = ${d2[i]}, σ = ${s}) = ${v}; weights must be finite`);
      });
    }
  },

  nonNegativeFlag(p: NeighborhoodPlugin, opts: NeighborhoodConformanceOptions = {}): void {
    const far = opts.farthest ?? 100;
    let negative: { d2: number; s: number; v: number } | undefined;
    for (const s of sigmas(opts)) {
      const d2 = grid(far * s * s, s);
      const w = weightsOf(p, d2, s);
      w.forEach((v, i) => {
        if (v < 0 && negative === undefined) negative = { d2: d2[i] as number, s, v };
      });
    }
    if (p.nonNegative && negative !== undefined) {
      fail(`neighborhood '${p.name}'`, `declares nonNegative: true but weights(d² = ${negative.d2}, σ = ${negative.s}) = ${negative.v} < 0`);
    }
    if (!p.nonNegative && negative === undefined) {
      fail(
        `neighborhood '${p.name}'`,
        `declares nonNegative: false but every weight on d² ∈ [0, ${far}σ²] is ≥ 0; declare true (the batch-map rule needs it)`,
      );
    }
  },

  /**
   * A kernel over grid offsets (`offsetWeights`) is 1 at (0, 0), symmetric in the sign and the
   * order of the offsets, agrees with `weights(d²)` along an axis, keeps the shape and leaks
   * nothing. Passes trivially for radial kernels (no `offsetWeights`).
   */
  offsets(p: NeighborhoodPlugin, opts: NeighborhoodConformanceOptions = {}): void {
    const f = p.offsetWeights;
    if (f === undefined) return;
    const who = `neighborhood '${p.name}'`;
    const tol = opts.tol ?? 1e-5;
    const axis = [0, 0.5, 1, 2, 3, 5, 8];
    for (const s of sigmas(opts)) {
      const before = tf.memory().numTensors;
      const [along, across, flipped, swapped, radial] = tf.tidy(() => {
        const zero = tf.zeros([axis.length]);
        const a = tf.tensor1d(axis);
        const other = tf.tensor1d(axis.map((v, i) => (i % 3) - v / 2));
        return [
          f(zero, a, s).dataSync(),
          f(a, other, s).dataSync(),
          f(tf.neg(a), tf.neg(other), s).dataSync(),
          f(other, a, s).dataSync(),
          p.weights(tf.tensor1d(axis.map((v) => v * v)), s).dataSync(),
        ];
      });
      if (tf.memory().numTensors !== before) fail(who, `offsetWeights left ${tf.memory().numTensors - before} tensors behind (wrap the body in tf.tidy)`);
      if (!(Math.abs(along[0]! - 1) <= tol)) fail(who, `offsetWeights(0, 0, σ = ${s}) = ${along[0]}, expected 1`);
      axis.forEach((v, i) => {
        if (!(Math.abs(along[i]! - radial[i]!) <= tol)) fail(who, `offsetWeights(0, ${v}, σ = ${s}) = ${along[i]} but weights(d² = ${v * v}) = ${radial[i]}; along an axis they must agree`);
        if (!(Math.abs(across[i]! - flipped[i]!) <= tol) || !(Math.abs(across[i]! - swapped[i]!) <= tol)) {
          fail(who, `offsetWeights is not symmetric at σ = ${s}: ${across[i]}, negated ${flipped[i]}, swapped ${swapped[i]}; a kernel must not depend on the direction`);
        }
      });
      tf.tidy(() => {
        const out = f(tf.zeros([2, 3]), tf.ones([2, 3]), s);
        if (out.shape.join(',') !== '2,3' || out.dtype !== 'float32') fail(who, `offsetWeights of [2, 3] offsets returned ${out.dtype} [${out.shape.join(', ')}]; it must keep the shape and be float32`);
      });
    }
  },

  async noLeaks(p: NeighborhoodPlugin): Promise<void> {
    const who = `neighborhood '${p.name}'`;
    await expectNoLeaks(() => {
      const d2 = tf.tensor2d([0, 1, 2, 4, 5, 8], [2, 3]);
      const snapshot = [['gridDist2', d2, d2.dataSync().slice()]] as const;
      const { value, added } = created(() => p.weights(d2, 1.2));
      value.dispose();
      if (added !== 1) fail(who, `weights must leave exactly its result behind, left ${added} tensors (wrap the body in tf.tidy)`);
      const kept = tf.tidy(() => p.weights(d2, 0.7));
      kept.dispose();
      checkInputsIntact(who, snapshot);
      d2.dispose();
    }, `${who} leak check`);
  },
};

/**
 * The conformance suite for a neighbourhood kernel, as a vitest `describe` block on the current
 * backend: metadata, value 1 at d² = 0, shape preserved, non-increasing in d² for d² ≤ σ²,
 * finite, a truthful `nonNegative` flag on a grid of d² up to (10σ)², no leaks, tidy-safety; for a
 * kernel over grid offsets (`offsetWeights`), also {@link neighborhoodChecks.offsets}.
 *
 * ```ts
 * describeBackends(['cpu', 'wasm'], () => runNeighborhoodConformance(gaussian()));
 * ```
 */
export function runNeighborhoodConformance(plugin: NeighborhoodPlugin, opts: NeighborhoodConformanceOptions = {}): void {
  describe(opts.title ?? `neighborhood conformance: ${plugin.name}`, () => {
    it('is a frozen neighborhood plugin (kind, name, apiVersion 1 or 2, boolean nonNegative, JSON options)', () => neighborhoodChecks.metadata(plugin));
    it('weights(0, σ) = 1', () => neighborhoodChecks.oneAtZero(plugin, opts));
    it('keeps the input shape and returns float32', () => neighborhoodChecks.shape(plugin));
    it('is non-increasing in d² for d² ≤ σ²', () => neighborhoodChecks.monotoneNearCentre(plugin, opts));
    it('is finite on a wide grid of d²', () => neighborhoodChecks.finite(plugin, opts));
    it(`nonNegative (${String(plugin.nonNegative)}) is truthful on a grid of d²`, () => neighborhoodChecks.nonNegativeFlag(plugin, opts));
    it('leaves no tensors behind and is tidy-safe', () => neighborhoodChecks.noLeaks(plugin));
    if (plugin.offsetWeights !== undefined) it('offsetWeights: 1 at (0, 0), symmetric, equal to weights(d²) along an axis', () => neighborhoodChecks.offsets(plugin, opts));
  });
}
