import * as tf from '@tensorflow/tfjs-core';
import { BROADCAST_CHUNK_ELEMENTS } from './broadcastPairwise.js';
import { broadcastChunks } from './broadcastChunks.js';
import { observedParts } from './observedParts.js';

/**
 * {@link broadcastPairwise} for samples with NaN at missing cells: |x − w| is 0 at a sample's
 * missing dimensions, and the reduced value is rescaled by `(d / observed)^(1/power)` — `power` 1
 * for a sum (manhattan), p for a p-norm, `Infinity` for a maximum (no rescaling). Chunked over
 * samples like the unmasked form. Internal helper.
 * @param x - samples [n, d] with NaN at missing cells; not disposed
 * @param w - codebook [u, d]; not disposed
 * @param reduce - maps masked |x − w| [c, u, d] to [c, u]
 * @returns [n, u] distances, owned by the caller
 */
export function maskedBroadcastPairwise(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  reduce: (absDiff: tf.Tensor3D) => tf.Tensor2D,
  power: number,
  maxElements: number = BROADCAST_CHUNK_ELEMENTS,
): tf.Tensor2D {
  return broadcastChunks(
    x,
    w,
    (xs, w3) => {
      const { filled, mask, scale } = observedParts(xs);
      // [c, 1, d] − [1, u, d] → [c, u, d], zero where the sample's value is missing.
      const r = reduce(tf.mul(tf.abs(tf.sub(tf.expandDims(filled, 1), w3)), tf.expandDims(mask, 1)) as tf.Tensor3D);
      return (Number.isFinite(power) ? tf.mul(r, power === 1 ? scale : tf.pow(scale, 1 / power)) : r) as tf.Tensor2D;
    },
    maxElements,
  );
}
