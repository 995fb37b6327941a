// Tiny plugins written with the plugin-api factories, for the tests of this package (not built).
import * as tf from '@tensorflow/tfjs-core';
import { defineDistance, defineEngine, defineNeighborhood, defineSchedule, defineSearch, type PreparedDistance } from '@somkit/plugin-api';
import { referenceKernels } from './referenceKernels.js';

/** Euclidean via ‖x‖² − 2x·wᵀ + ‖w‖², with a prepared codebook (transposed, norms). */
export const euclid = defineDistance('test/euclidean', () => {
  const prepare = (w: tf.Tensor2D): PreparedDistance => {
    const [wT, w2] = tf.tidy(() => [tf.keep(tf.transpose(w)), tf.keep(tf.reshape(tf.sum(tf.square(w), 1), [1, -1]))]);
    return {
      score: (x) => tf.tidy(() => tf.relu(tf.add(tf.sub(tf.sum(tf.square(x), 1, true), tf.mul(tf.matMul(x, wT as tf.Tensor2D), 2)), w2 as tf.Tensor)) as tf.Tensor2D),
      toDistance: (s) => tf.sqrt(s),
      dispose: () => tf.dispose([wT, w2] as tf.Tensor[]),
    };
  };
  return {
    prepare,
    pairwise: (x, w) => {
      const p = prepare(w);
      try {
        return tf.tidy(() => p.toDistance(p.score(x)));
      } finally {
        p.dispose();
      }
    },
  };
});

/** Manhattan by broadcasting, no prepare. */
export const manhattan = defineDistance('test/manhattan', () => ({
  pairwise: (x, w) => tf.tidy(() => tf.sum(tf.abs(tf.sub(tf.expandDims(x, 1), tf.expandDims(w, 0))), 2) as tf.Tensor2D),
}));

export const gaussian = defineNeighborhood('test/gaussian', () => ({
  nonNegative: true,
  weights: <T extends tf.Tensor>(d2: T, sigma: number): T => tf.tidy(() => tf.exp(tf.mul(d2, -1 / (2 * sigma * sigma))) as T),
}));

export const mexicanHat = defineNeighborhood('test/mexican_hat', () => ({
  nonNegative: false,
  weights: <T extends tf.Tensor>(d2: T, sigma: number): T =>
    tf.tidy(() => tf.mul(tf.sub(1, tf.mul(d2, 1 / (4 * sigma * sigma))), tf.exp(tf.mul(d2, -1 / (2 * sigma * sigma)))) as T),
}));

export const expDecay = defineSchedule<{ rate: number } | undefined>('test/exp_decay', (o) => ({
  value: (initial, t, total) => initial * Math.exp((-(o?.rate ?? 3) * t) / total),
}));

export const brute = defineSearch('test/brute', () => ({
  priority: 0,
  exact: true,
  supports: () => true,
  search: (x, w, k, ctx) =>
    tf.tidy(() => {
      const top = tf.topk(tf.neg(ctx.distance.pairwise(x, w)), k, true);
      return { indices: top.indices as tf.Tensor2D, distances: tf.neg(top.values) as tf.Tensor2D };
    }),
}));

/** An engine whose sessions run the plain-JS reference kernels (all four, masked forms included). */
export const referenceEngine = defineEngine('test/reference-engine', () => ({
  priority: 0,
  supports: () => true,
  open: () => ({ kernels: referenceKernels(), maskedKernels: ['bmu', 'neuronSums', 'minibatchSteps'] as const, close() {} }),
}));
