import * as tf from '@tensorflow/tfjs-core';
import type { DistancePlugin, MapData } from '@somkit/plugin-api';
import type { Grid } from '../Grid.js';
import { makeMapData } from './makeMapData.js';

/** Most distances computed by one block of the U-matrix pass (4 MiB of float32). */
const BLOCK_VALUES = 1_048_576;

/**
 * U-matrix (TorchSOM `distance`): for each unit, the sum (or mean) of the distances between its
 * codebook vector and those of the units in rings 1..`order` (torus-aware), then divided by the
 * global max so values lie in [0, 1]. Never NaN for finite codebooks (all zeros when the max is 0).
 *
 * Distances come from `distance.pairwise` between a block of consecutive units and the union of
 * their neighbours ([b, c] per block, c ≈ b + 2·order·cols), so the work is O(u·(b + order·cols)·d)
 * rather than O(u²·d), and memory stays bounded for large maps.
 * @param weights - codebook [u, d] row-major
 * @param d - features per unit
 * @param order - neighbourhood order ≥ 1
 */
export async function distanceMap(
  grid: Grid,
  weights: Float32Array,
  d: number,
  distance: DistancePlugin,
  order: number,
  scaling: 'sum' | 'mean',
): Promise<MapData> {
  const u = grid.units;
  const values = new Float32Array(u);
  const nbrs = Array.from({ length: u }, (_, a) => grid.neighborhood(a, order));
  // Column of each candidate unit in the current block's distance matrix (−1 = not a candidate).
  const col = new Int32Array(u).fill(-1);
  const w = tf.tensor2d(weights, [u, d], 'float32');
  try {
    for (let a0 = 0; a0 < u; ) {
      // Grow the block [a0, a1) while its [b, candidates] matrix stays under the budget.
      const cand: number[] = [];
      let a1 = a0;
      while (a1 < u) {
        let added = 0;
        for (const v of nbrs[a1]!) if (col[v] === -1) added++;
        if (a1 > a0 && (a1 - a0 + 1) * (cand.length + added) > BLOCK_VALUES) break;
        for (const v of nbrs[a1]!) {
          if (col[v] === -1) {
            col[v] = cand.length;
            cand.push(v);
          }
        }
        a1++;
      }
      const b = a1 - a0;
      if (cand.length > 0) {
        // [b, c] distances from units a0..a1-1 to the candidate units.
        const dist = tf.tidy(() => distance.pairwise(tf.slice(w, [a0, 0], [b, d]), tf.gather(w, tf.tensor1d(Int32Array.from(cand), 'int32'))));
        const dv = await dist.data();
        dist.dispose();
        const c = cand.length;
        for (let i = 0; i < b; i++) {
          const list = nbrs[a0 + i]!;
          let s = 0;
          for (const v of list) s += dv[i * c + col[v]!]!;
          values[a0 + i] = scaling === 'mean' && list.length > 0 ? s / list.length : s;
        }
      }
      for (const v of cand) col[v] = -1;
      a0 = a1;
    }
  } finally {
    w.dispose();
  }
  let max = 0;
  for (const v of values) if (v > max) max = v;
  if (max > 0) for (let k = 0; k < u; k++) values[k]! /= max;
  return makeMapData(grid, 'distance', values, 'U-matrix');
}
