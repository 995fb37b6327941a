import * as tf from '@tensorflow/tfjs-core';
import { availableParallelism } from 'node:os';
import { defineSearch, type SearchContext, type SearchResult } from '@somkit/plugin-api';
import { WorkerPool } from './WorkerPool.js';

/** Options of {@link parallelEngine}. */
export interface ParallelEngineOptions {
  /** Worker threads. Default: the number of cores (`os.availableParallelism()`). */
  threads?: number;
  /** tfjs backend inside each worker. Default 'wasm'. */
  workerBackend?: 'wasm' | 'cpu';
  /**
   * `supports()` refuses maps where one distance row costs less than this many multiply-adds
   * (units·dims), because thread hand-offs would cost more than they save. Default 16,384.
   */
  minWork?: number;
}

const METRICS = new Set(['euclidean', 'sqeuclidean']);

/** Splits n rows into `parts` contiguous ranges of near-equal size. */
function ranges(n: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const step = Math.ceil(n / parts);
  for (let s = 0; s < n; s += step) out.push([s, Math.min(n, s + step)]);
  return out;
}

/**
 * A Node engine that uses every core: the BMU search (`searchAsync`) and the update products
 * (`product`) are split by rows across worker threads, each running its own tfjs wasm backend.
 * Row splits make results identical to the single-threaded path up to float rounding of the
 * distances (BMUs and products are computed row by row, so no sum is reordered).
 * Priority −10: `search: 'auto'` never prefers it over the brute force (0) — measured slower on
 * 2 cores (thread hand-offs per minibatch, see bench/README.md); force it with `search: 'parallel'`.
 *
 * ```ts
 * const engine = parallelEngine({ threads: 2 });
 * const som = new SOM({ rows: 32, cols: 32, dims: 64, search: engine });
 * await som.fit(data);
 * await engine.close();
 * ```
 */
export const parallelEngine = defineSearch<ParallelEngineOptions | undefined>('parallel', (options) => {
  const threads = options?.threads ?? Math.max(1, availableParallelism());
  const minWork = options?.minWork ?? 16_384;
  let pool: WorkerPool | undefined;
  const getPool = (): WorkerPool => (pool ??= new WorkerPool(threads, options?.workerBackend ?? 'wasm'));
  return {
    priority: -10,
    supports(ctx: SearchContext): true | string {
      if (!METRICS.has(ctx.distance.name)) return `the parallel engine computes euclidean/sqeuclidean only, not '${ctx.distance.name}'`;
      if (ctx.backend !== 'wasm' && ctx.backend !== 'cpu') return `the parallel engine reads tensors back to the CPU; on '${ctx.backend}' that would stall the device`;
      if (threads < 2) return 'only one core is available';
      if (ctx.units * ctx.dims < minWork) return `map too small (units·dims = ${ctx.units * ctx.dims} < ${minWork}): thread hand-offs would cost more than they save`;
      return true;
    },
    // The synchronous form cannot wait for threads: it computes on the caller's backend.
    search(x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext): SearchResult {
      return tf.tidy(() => {
        const s = ctx.distance.pairwise(x, w);
        const top = tf.topk(tf.neg(s), k, true);
        return { indices: tf.cast(top.indices, 'int32') as tf.Tensor2D, distances: tf.neg(top.values) as tf.Tensor2D };
      });
    },
    async searchAsync(x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext): Promise<SearchResult> {
      const [n, d] = x.shape;
      const u = w.shape[0];
      const [xs, ws] = (await Promise.all([x.data(), w.data()])) as [Float32Array, Float32Array];
      const p = getPool();
      const parts = ranges(n, Math.min(p.size, n));
      const results = await Promise.all(
        parts.map(([s, e], i) => {
          const xp = xs.slice(s * d, e * d);
          return p.call(i, { op: 'search', x: xp, n: e - s, d, w: ws, u, k, metric: ctx.distance.name }, [xp.buffer]);
        }),
      );
      const indices = new Int32Array(n * k);
      const distances = new Float32Array(n * k);
      parts.forEach(([s], i) => {
        indices.set(results[i]!.indices as Int32Array, s * k);
        distances.set(results[i]!.distances as Float32Array, s * k);
      });
      return { indices: tf.tensor2d(indices, [n, k], 'int32'), distances: tf.tensor2d(distances, [n, k]) };
    },
    async product(a: tf.Tensor2D, b: tf.Tensor2D): Promise<tf.Tensor2D> {
      const [m, k] = a.shape;
      const n = b.shape[1];
      const [as, bs] = (await Promise.all([a.data(), b.data()])) as [Float32Array, Float32Array];
      const p = getPool();
      const parts = ranges(m, Math.min(p.size, m));
      const results = await Promise.all(
        parts.map(([s, e], i) => {
          const ap = as.slice(s * k, e * k);
          return p.call(i, { op: 'product', a: ap, m: e - s, k, b: bs, n }, [ap.buffer]);
        }),
      );
      const out = new Float32Array(m * n);
      parts.forEach(([s], i) => out.set(results[i]!.out as Float32Array, s * n));
      return tf.tensor2d(out, [m, n]);
    },
    dispose(): void {
      void pool?.close();
      pool = undefined;
    },
  };
});
