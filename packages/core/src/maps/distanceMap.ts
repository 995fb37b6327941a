import * as tf from '@tensorflow/tfjs-core';
import type { DistancePlugin, MapData } from '@somkit/plugin-api';
import type { Grid } from '../Grid.js';
import { makeMapData } from './makeMapData.js';

/** Most distances held at once by one block of the U-matrix pass (16 MiB of float32). */
const BLOCK_VALUES = 4_194_304;

/**
 * U-matrix (TorchSOM `distance`): for each unit, the sum (or mean) of the distances between its
 * codebook vector and those of the units in rings 1..`order` (torus-aware), then divided by the
 * global max so values lie in [0, 1]. Never NaN for finite codebooks (all zeros when the max is 0).
 *
 * The distances come from `distance.pairwise` over row blocks of the codebook ([b, u] each), so
 * memory stays bounded for large maps.
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
  const w = tf.tensor2d(weights, [u, d], 'float32');
  try {
    const block = Math.max(1, Math.floor(BLOCK_VALUES / u));
    for (let r0 = 0; r0 < u; r0 += block) {
      const b = Math.min(block, u - r0);
      // [b, u] distances from units r0..r0+b-1 to every unit.
      const dist = tf.tidy(() => distance.pairwise(tf.slice(w, [r0, 0], [b, d]), w));
      const dv = await dist.data();
      dist.dispose();
      for (let i = 0; i < b; i++) {
        const unit = r0 + i;
        const nbrs = grid.neighborhood(unit, order);
        let s = 0;
        for (const v of nbrs) s += dv[i * u + v]!;
        values[unit] = scaling === 'mean' && nbrs.length > 0 ? s / nbrs.length : s;
      }
    }
  } finally {
    w.dispose();
  }
  let max = 0;
  for (const v of values) if (v > max) max = v;
  if (max > 0) for (let k = 0; k < u; k++) values[k]! /= max;
  return makeMapData(grid, 'distance', values, 'U-matrix');
}
