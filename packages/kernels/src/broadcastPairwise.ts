import * as tf from '@tensorflow/tfjs-core';
import { broadcastChunks } from './broadcastChunks.js';

/** Largest number of [rows, u, d] elements one chunk materialises. */
export const BROADCAST_CHUNK_ELEMENTS = 4 * 1024 * 1024;

/**
 * Pairwise distances through an explicit broadcast x[:, None, :] − w[None, :, :], chunked over
 * samples so a chunk's [c, u, d] difference stays within {@link BROADCAST_CHUNK_ELEMENTS} elements
 * (at least one sample per chunk). Internal helper for manhattan, chebyshev and minkowski.
 *
 * @param x - samples, shape [n, d]; not disposed
 * @param w - codebook, shape [u, d]; not disposed
 * @param reduce - maps |x − w| of shape [c, u, d] to distances [c, u]
 * @param maxElements - chunk budget in elements (tests lower it to force chunking)
 * @returns [n, u] distances, owned by the caller
 */
export function broadcastPairwise(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  reduce: (absDiff: tf.Tensor3D) => tf.Tensor2D,
  maxElements: number = BROADCAST_CHUNK_ELEMENTS,
): tf.Tensor2D {
  // [c, 1, d] − [1, u, d] → [c, u, d]
  return broadcastChunks(x, w, (xs, w3) => reduce(tf.abs(tf.sub(tf.expandDims(xs, 1), w3)) as tf.Tensor3D), maxElements);
}
