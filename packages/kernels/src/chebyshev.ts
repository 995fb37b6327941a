import * as tf from '@tensorflow/tfjs-core';
import { defineDistance } from '@somkit/plugin-api';
import { broadcastPairwise } from './broadcastPairwise.js';
import { maskedBroadcastPairwise } from './maskedBroadcastPairwise.js';

/**
 * Chebyshev (L∞) distance max|x − w|, registry name `'chebyshev'`. The absolute value is taken
 * before the maximum (MiniSom's max(x − w) misses negative differences).
 *
 * Uses an explicit [n, u, d] broadcast, chunked over samples to at most 4M elements per chunk.
 *
 * ```ts
 * const d = chebyshev().pairwise(x, w); // x [n, d], w [u, d] → [n, u]
 * ```
 */
export const chebyshev = defineDistance('chebyshev', () => ({
  // [c, u, d] → [c, u]: largest absolute difference over features.
  pairwise: (x, w) => broadcastPairwise(x, w, (a) => tf.max(a, 2)),
  // Missing values (NaN): the largest difference over observed dimensions (a maximum needs no rescaling).
  masked: { pairwise: (x, w) => maskedBroadcastPairwise(x, w, (a) => tf.max(a, 2), Infinity) },
}));
