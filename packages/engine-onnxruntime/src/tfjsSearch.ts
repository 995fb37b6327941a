import * as tf from '@tensorflow/tfjs-core';
import type { SearchContext, SearchResult } from '@somkit/plugin-api';

/**
 * Exact k-nearest-unit search in tfjs ops, for the synchronous `search` (onnxruntime-node only
 * runs asynchronously). Chunks samples so one [rows, u] score block stays under `maxBlock`
 * elements; uses the distance's `prepare` (one matmul per chunk). Tidy-safe. Internal.
 *
 * @param x - samples [n, d]
 * @param w - codebook [u, d]
 * @returns [n, k] int32 indices and float32 distances, nearest first
 */
export function tfjsSearch(x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext, maxBlock: number): SearchResult {
  const n = x.shape[0];
  const u = w.shape[0];
  const rows = Math.max(1, Math.floor(maxBlock / Math.max(1, u)));
  const prepared = ctx.distance.prepare?.(w);
  try {
    const parts: SearchResult[] = [];
    for (let start = 0; start < n; start += rows) {
      const size = Math.min(rows, n - start);
      parts.push(
        tf.tidy(() => {
          const xb = size === n ? x : tf.slice(x, [start, 0], [size, -1]);
          // [size, u] scores (a monotone surrogate of the distance when prepared).
          const s = prepared ? prepared.score(xb) : ctx.distance.pairwise(xb, w);
          // k smallest: topk of the negation (ties keep the lower index first).
          const top = tf.topk(tf.neg(s), k, true);
          const val = tf.neg(top.values) as tf.Tensor2D;
          return { indices: tf.cast(top.indices, 'int32') as tf.Tensor2D, distances: prepared ? prepared.toDistance(val) : val };
        }),
      );
    }
    if (parts.length === 1) return parts[0]!;
    const out = { indices: tf.concat(parts.map((p) => p.indices), 0), distances: tf.concat(parts.map((p) => p.distances), 0) };
    for (const p of parts) tf.dispose([p.indices, p.distances]);
    return out;
  } finally {
    prepared?.dispose();
  }
}
