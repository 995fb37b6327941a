import * as tf from '@tensorflow/tfjs-core';
import { defineDistance } from '@somkit/plugin-api';
import { broadcastPairwise } from './broadcastPairwise.js';
import { maskedBroadcastPairwise } from './maskedBroadcastPairwise.js';

/**
 * Manhattan (L1, city-block) distance Σ|x − w|, registry name `'manhattan'`.
 *
 * Uses an explicit [n, u, d] broadcast, chunked over samples to at most 4M elements per chunk.
 *
 * ```ts
 * const d = manhattan().pairwise(x, w); // x [n, d], w [u, d] → [n, u]
 * ```
 */
export const manhattan = defineDistance('manhattan', () => ({
  // [c, u, d] → [c, u]: sum over features.
  pairwise: (x, w) => broadcastPairwise(x, w, (a) => tf.sum(a, 2)),
  // Missing values (NaN): the sum over observed dimensions × d / observed.
  masked: { pairwise: (x, w) => maskedBroadcastPairwise(x, w, (a) => tf.sum(a, 2), 1) },
}));
