import * as tf from '@tensorflow/tfjs-core';
import { defineSearch, type SearchContext, type SearchResult } from '@somkit/plugin-api';

/** Options of {@link bruteForce}. */
export interface BruteForceOptions {
  /**
   * Upper bound on the elements of one [rows, u] distance block. The search processes
   * `max(1, ⌊maxBlockElements / u⌋)` samples at a time, so memory stays bounded for any n.
   * Default 4 194 304 (16 MiB of float32).
   */
  maxBlockElements?: number;
}

/** Up to this k the search uses repeated masked argmin instead of topk. */
const SMALL_K = 4;

/** Default bound on the elements of one distance block (16 MiB of float32). */
export const DEFAULT_MAX_BLOCK_ELEMENTS = 4_194_304;

/**
 * Exact best-matching-unit search strategy: the full distance block per chunk of samples, then
 * argmin (k = 1) or top-k. With a distance that has `prepare` (euclidean, cosine, …) the codebook
 * side is prepared once per call and each chunk costs one matmul. Priority 0: the fallback `auto`
 * always has. Declares `exact: true` (the exact k nearest units, ties to the lower unit index), so
 * an engine may run its own exact search inside its fused kernels instead of calling it.
 *
 * ```ts
 * const { indices, distances } = bruteForce().search(x, w, 2, ctx); // [n, 2] each
 * ```
 */
export const bruteForce = defineSearch<BruteForceOptions | undefined>('brute-force', (options) => {
  const maxBlock = options?.maxBlockElements ?? DEFAULT_MAX_BLOCK_ELEMENTS;
  return {
    priority: 0,
    exact: true,
    supports: () => true,
    search(x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext): SearchResult {
      const n = x.shape[0];
      const u = w.shape[0];
      const rowsPerBlock = Math.max(1, Math.floor(maxBlock / Math.max(1, u)));
      const prepared = ctx.distance.prepare?.(w);
      try {
        const blocks: SearchResult[] = [];
        for (let start = 0; start < n; start += rowsPerBlock) {
          const size = Math.min(rowsPerBlock, n - start);
          blocks.push(
            tf.tidy(() => {
              const xb = size === n ? x : tf.slice(x, [start, 0], [size, -1]);
              // [size, u] scores: a monotone surrogate of the distance when prepared.
              const s = prepared ? prepared.score(xb) : ctx.distance.pairwise(xb, w);
              let idx: tf.Tensor2D;
              let val: tf.Tensor2D;
              if (k <= SMALL_K) {
                // Repeated argmin with the previous winners masked out: on wasm this is 2–3×
                // faster than topk for k ≤ 4. Ties resolve to the lowest unit index.
                const idxs: tf.Tensor[] = [];
                const vals: tf.Tensor[] = [];
                let cur: tf.Tensor2D = s;
                for (let j = 0; j < k; j++) {
                  const i = tf.argMin(cur, 1);
                  idxs.push(i);
                  vals.push(tf.min(cur, 1));
                  if (j + 1 < k) cur = tf.where(tf.cast(tf.oneHot(i, u), 'bool'), tf.fill(cur.shape, Infinity), cur);
                }
                idx = (k === 1 ? tf.reshape(idxs[0]!, [size, 1]) : tf.stack(idxs, 1)) as tf.Tensor2D;
                val = (k === 1 ? tf.reshape(vals[0]!, [size, 1]) : tf.stack(vals, 1)) as tf.Tensor2D;
              } else {
                const top = tf.topk(tf.neg(s), k, true);
                idx = top.indices as tf.Tensor2D;
                val = tf.neg(top.values) as tf.Tensor2D;
              }
              const distances = prepared ? prepared.toDistance(val) : val;
              return { indices: tf.cast(idx, 'int32'), distances };
            }),
          );
        }
        if (blocks.length === 1) return blocks[0]!;
        const out = {
          indices: tf.concat(blocks.map((b) => b.indices), 0),
          distances: tf.concat(blocks.map((b) => b.distances), 0),
        };
        for (const b of blocks) tf.dispose([b.indices, b.distances]);
        return out;
      } finally {
        prepared?.dispose();
      }
    },
  };
});
