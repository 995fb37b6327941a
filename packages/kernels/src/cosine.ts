import * as tf from '@tensorflow/tfjs-core';
import { defineDistance, type PreparedDistance } from '@somkit/plugin-api';
import { pairwiseFromPrepared } from './pairwiseFromPrepared.js';
import { observedParts } from './observedParts.js';

/** Smallest norm a vector is divided by, so the zero vector normalises to itself. */
const MIN_NORM = 1e-12;

/** Rows divided by their L2 norm (at least {@link MIN_NORM}). [m, d] → [m, d]. */
function normalizeRows(a: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(a, tf.maximum(tf.norm(a, 'euclidean', 1, true), MIN_NORM)) as tf.Tensor2D);
}

function prepareCosine(w: tf.Tensor2D): PreparedDistance {
  // [d, u]: normalised codebook, transposed once for a plain matMul (transposeB is slow on wasm).
  const wnT = tf.tidy(() => tf.keep(tf.transpose(normalizeRows(w)) as tf.Tensor2D));
  let disposed = false;
  return {
    // 1 − cos(x, w), clipped to [0, 2] against rounding only.
    score: (x) => tf.tidy(() => tf.clipByValue(tf.sub(1, tf.matMul(normalizeRows(x), wnT)), 0, 2) as tf.Tensor2D),
    toDistance: <T extends tf.Tensor>(s: T): T => tf.clone(s),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      wnT.dispose();
    },
  };
}

/**
 * Cosine over each sample's observed dimensions (NaN = missing): 1 − x̃·w / (‖x̃‖·‖w_o‖) with
 * ‖w_o‖ the unit's norm over the sample's observed dimensions (M·(w²)ᵀ). Scale-free, so no
 * rescaling by the observed count.
 */
function prepareMaskedCosine(w: tf.Tensor2D): PreparedDistance {
  const [wT, w2T] = tf.tidy(() => [tf.keep(tf.transpose(w) as tf.Tensor2D), tf.keep(tf.transpose(tf.square(w)) as tf.Tensor2D)] as const);
  let disposed = false;
  return {
    score: (x) =>
      tf.tidy(() => {
        const { filled, mask } = observedParts(x);
        const xn = tf.maximum(tf.sqrt(tf.sum(tf.square(filled), 1, true)), MIN_NORM);
        const wn = tf.maximum(tf.sqrt(tf.matMul(mask, w2T)), MIN_NORM);
        return tf.clipByValue(tf.sub(1, tf.div(tf.matMul(filled, wT), tf.mul(xn, wn))), 0, 2) as tf.Tensor2D;
      }),
    toDistance: <T extends tf.Tensor>(s: T): T => tf.clone(s),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      wT.dispose();
      w2T.dispose();
    },
  };
}

/**
 * Cosine distance 1 − x·w / (‖x‖·‖w‖), registry name `'cosine'`. Values lie in [0, 2]: 0 for
 * vectors pointing the same way, 1 for orthogonal ones, 2 for opposite ones. (TorchSOM clamps to
 * [0, 1], which merges every obtuse angle into 1; somkit keeps the full range and clips only
 * rounding overshoot.)
 *
 * Rows are normalised by max(‖v‖, 1e-12), so a zero vector stays zero and has distance exactly 1
 * to every vector, itself included. `prepare(w)` normalises and transposes the codebook once;
 * `score` already is the distance and `toDistance` returns a copy.
 *
 * ```ts
 * const d = cosine().pairwise(x, w); // x [n, d], w [u, d] → [n, u], values in [0, 2]
 * ```
 */
export const cosine = defineDistance('cosine', () => ({
  prepare: prepareCosine,
  pairwise: (x, w) => pairwiseFromPrepared(x, w, prepareCosine),
  masked: { prepare: prepareMaskedCosine, pairwise: (x, w) => pairwiseFromPrepared(x, w, prepareMaskedCosine) },
}));
