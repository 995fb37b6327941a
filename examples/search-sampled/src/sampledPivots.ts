import * as tf from '@tensorflow/tfjs-core';
import { defineSearch, SomError, type SearchContext, type SearchResult } from '@somkit/plugin-api';
import { laesaKnn, samplePivots } from './laesa.js';
import { METRICS } from './metrics.js';

/** Options of {@link sampledPivots}. JSON only: they are stored in model files. */
export interface SampledPivotsOptions {
  /** Pivot units sampled from the codebook (default 8, at most u). */
  pivots?: number;
  /** Largest map it accepts; bigger maps are refused with a reason (default 1024 units). */
  maxUnits?: number;
  /** Priority in `search: 'auto'` (default 1: above the brute force's 0 where supported). */
  priority?: number;
  /** Seed of the pivot sample (default 1). */
  seed?: number;
}

function positiveInt(name: string, v: unknown, def: number): number {
  const value = v ?? def;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new SomError('ERR_INVALID_CONFIG', `Expected sampled-pivots option '${name}' to be an integer ≥ 1, got ${String(value)}.`);
  }
  return value;
}

/**
 * An exact best-matching-unit search for small maps that prunes with pivots sampled from the
 * codebook (LAESA), registry name `'somkit-search-sampled/sampled-pivots'`. It runs in plain JS
 * on the values of the tensors, so it only accepts the cpu and wasm backends (where reading a
 * tensor is free) and metric distances it can compute itself (euclidean, manhattan, chebyshev);
 * anywhere else `supports()` says why and `search: 'auto'` falls back to the brute force.
 *
 * Results equal the brute force's (ties → smaller unit index), so it declares `exact: true` and
 * an engine may run its own exact search in its place inside fused kernels; the pruning saves
 * distance evaluations when distances are expensive, not tensor work.
 *
 * ```ts
 * new SOM({ rows: 8, cols: 8, dims: 4, search: sampledPivots({ pivots: 6 }) });
 * ```
 */
export const sampledPivots = defineSearch<SampledPivotsOptions | undefined>('somkit-search-sampled/sampled-pivots', (options) => {
  const pivots = positiveInt('pivots', options?.pivots, 8);
  const maxUnits = positiveInt('maxUnits', options?.maxUnits, 1024);
  const seed = positiveInt('seed', options?.seed, 1);
  const priority = options?.priority ?? 1;
  if (typeof priority !== 'number' || !Number.isFinite(priority)) {
    throw new SomError('ERR_INVALID_CONFIG', `Expected sampled-pivots option 'priority' to be a finite number, got ${String(priority)}.`);
  }

  const run = (xs: ArrayLike<number>, ws: ArrayLike<number>, x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext): SearchResult => {
    const metric = METRICS[ctx.distance.name];
    if (metric === undefined) {
      throw new SomError('ERR_BACKEND_UNSUPPORTED', `sampled-pivots cannot compute distance '${ctx.distance.name}'; use search: 'auto' or 'brute-force'.`);
    }
    const [n, d] = x.shape;
    const u = w.shape[0];
    const r = laesaKnn(xs, n, ws, u, d, k, metric, samplePivots(u, Math.min(pivots, u), seed));
    return { indices: tf.tensor2d(r.indices, [n, k], 'int32'), distances: tf.tensor2d(r.distances, [n, k], 'float32') };
  };

  return {
    priority,
    // LAESA prunes only units whose lower bound exceeds the k-th best distance: the result is the brute force's.
    exact: true,
    supports(ctx: SearchContext): true | string {
      if (ctx.backend !== 'cpu' && ctx.backend !== 'wasm') {
        return `it reads tensor values synchronously, which only the cpu and wasm backends do for free (active backend: '${ctx.backend}')`;
      }
      if (METRICS[ctx.distance.name] === undefined) {
        return `pruning needs a metric it can compute (${Object.keys(METRICS).join(', ')}), got distance '${ctx.distance.name}'`;
      }
      if (ctx.units > maxUnits) return `the map has ${ctx.units} units, more than maxUnits = ${maxUnits}`;
      return true;
    },
    // On cpu and wasm, dataSync() is a copy, not a GPU stall.
    search: (x, w, k, ctx) => run(x.dataSync(), w.dataSync(), x, w, k, ctx),
    searchAsync: async (x, w, k, ctx) => {
      const [xs, ws] = await Promise.all([x.data(), w.data()]);
      return run(xs, ws, x, w, k, ctx);
    },
  };
});
