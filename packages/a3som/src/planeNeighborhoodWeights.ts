import * as tf from '@tensorflow/tfjs-core';

/**
 * {@link neighborhoodWeights} from the units' plane coordinates instead of a [u, u] table:
 * `w_k = exp(−δ(k, bmu)² / T²)` with δ² computed for the BMU rows only. Memory O(n·u) per call,
 * where the table took u² floats (4·n⁴ bytes on an n × n map: 1.5 GB at n = 140).
 * @param d - squared distances, shape [n, u]
 * @param coords - plane coordinates (x, y) of the units, shape [u, 2] (`Grid.coords`)
 * @param T - temperature (grid units)
 * @returns [n, u] weights, 1 at each sample's BMU
 */
export function planeNeighborhoodWeights(d: tf.Tensor2D, coords: tf.Tensor2D, T: number): tf.Tensor2D {
  return tf.tidy(() => {
    const bmu = tf.argMin(d, 1); // [n]
    const at = tf.gather(coords, bmu); // [n, 2]
    const diff = tf.sub(tf.expandDims(at, 1), tf.expandDims(coords, 0)); // [n, u, 2]
    const d2 = tf.sum(tf.square(diff), 2); // [n, u]
    return tf.exp(tf.mul(d2, -1 / (T * T))) as tf.Tensor2D;
  });
}
