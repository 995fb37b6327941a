import { defineDistance } from '@somkit/plugin-api';
import { pairwiseFromPrepared } from './pairwiseFromPrepared.js';
import { squaredEuclideanPrepared } from './squaredEuclideanPrepared.js';
import { maskedSquaredEuclideanPrepared } from './maskedSquaredEuclideanPrepared.js';

/**
 * Squared Euclidean distance ‖x − w‖₂², registry name `'sqeuclidean'`.
 *
 * Computed as max(0, ‖x‖² − 2·x·wᵀ + ‖w‖²). `prepare(w)` transposes the codebook and takes its
 * squared norms once; `score` already is the distance, and `toDistance` returns a copy.
 *
 * ```ts
 * const d2 = sqeuclidean().pairwise(x, w); // x [n, d], w [u, d] → [n, u]
 * ```
 */
export const sqeuclidean = defineDistance('sqeuclidean', () => {
  const prepare = (w: Parameters<typeof squaredEuclideanPrepared>[0]) => squaredEuclideanPrepared(w, false);
  return {
    prepare,
    pairwise: (x, w) => pairwiseFromPrepared(x, w, prepare),
    // Missing values (NaN): over the observed dimensions, rescaled by d / observed.
    masked: {
      prepare: (w) => maskedSquaredEuclideanPrepared(w, false),
      pairwise: (x, w) => pairwiseFromPrepared(x, w, (v) => maskedSquaredEuclideanPrepared(v, false)),
    },
  };
});
