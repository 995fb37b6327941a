import { defineDistance } from '@somkit/plugin-api';
import { pairwiseFromPrepared } from './pairwiseFromPrepared.js';
import { squaredEuclideanPrepared } from './squaredEuclideanPrepared.js';
import { maskedSquaredEuclideanPrepared } from './maskedSquaredEuclideanPrepared.js';

/**
 * Euclidean distance ‖x − w‖₂, registry name `'euclidean'`.
 *
 * Computed as √max(0, ‖x‖² − 2·x·wᵀ + ‖w‖²): one matrix product, O(n·u) memory. `prepare(w)`
 * transposes the codebook and takes its squared norms once; its `score` is the clipped squared
 * distance (same ordering, no square root), and `toDistance` takes the square root.
 *
 * Near zero the expansion cancels: the distance of a vector to itself is about √(ε·‖x‖²), not 0.
 *
 * ```ts
 * const d = euclidean().pairwise(x, w); // x [n, d], w [u, d] → [n, u]
 * ```
 */
export const euclidean = defineDistance('euclidean', () => {
  const prepare = (w: Parameters<typeof squaredEuclideanPrepared>[0]) => squaredEuclideanPrepared(w, true);
  return {
    prepare,
    pairwise: (x, w) => pairwiseFromPrepared(x, w, prepare),
    // Missing values (NaN): over the observed dimensions, rescaled by d / observed.
    masked: {
      prepare: (w) => maskedSquaredEuclideanPrepared(w, true),
      pairwise: (x, w) => pairwiseFromPrepared(x, w, (v) => maskedSquaredEuclideanPrepared(v, true)),
    },
  };
});
