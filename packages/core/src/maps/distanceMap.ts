import * as tf from '@tensorflow/tfjs-core';
import type { DistancePlugin, MapData } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import { makeMapData } from './makeMapData.js';

/** Target of (tile units × candidate units) per pairwise call: small tiles waste little work, large ones save calls. */
const TILE_VALUES = 16_384;

/**
 * U-matrix (TorchSOM `distance`): for each unit, the sum (or mean) of the distances between its
 * codebook vector and those of the units in rings 1..`order` (torus-aware), then divided by the
 * global max so values lie in [0, 1]. Never NaN for finite codebooks (all zeros when the max is 0).
 *
 * Neighbours are the units that exist: an interior unit has 8·(1+…+order) (rectangular) or
 * 6·(1+…+order) (hexagonal) of them, an edge or corner unit fewer (on a torus every unit has them
 * all, each counted once on grids too small for the rings). `'sum'` (the default, TorchSOM's
 * output) therefore makes edge units look closer to their neighbours than they are; `'mean'`
 * divides by the neighbours each unit has, which is what a figure should show.
 *
 * Distances come from `distance.pairwise` between a t×t tile of units and the union of their
 * neighbours ([t², ≈(t+2·order)²] per call), so the work is O(u·(t+2·order)²·d) instead of
 * O(u²·d) and memory stays small for any map size.
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
  // Tile side t: the largest with t²·(t + 2·order)² ≤ TILE_VALUES (at least 1).
  let t = 1;
  while ((t + 1) ** 2 * (t + 1 + 2 * order) ** 2 <= TILE_VALUES) t++;
  // Column of each candidate unit in the current tile's distance matrix (−1 = not a candidate).
  const col = new Int32Array(u).fill(-1);
  const w = tf.tensor2d(weights, [u, d], 'float32');
  try {
    for (let r0 = 0; r0 < grid.rows; r0 += t) {
      for (let c0 = 0; c0 < grid.cols; c0 += t) {
        const tile: number[] = [];
        const nbrs: Int32Array[] = [];
        const cand: number[] = [];
        for (let r = r0; r < Math.min(r0 + t, grid.rows); r++) {
          for (let c = c0; c < Math.min(c0 + t, grid.cols); c++) {
            const a = grid.unit(r, c);
            const list = grid.neighborhood(a, order);
            tile.push(a);
            nbrs.push(list);
            for (const v of list) {
              if (col[v] === -1) {
                col[v] = cand.length;
                cand.push(v);
              }
            }
          }
        }
        if (cand.length > 0) {
          // [tile, cand] distances between the tile's codebook vectors and its neighbours'.
          const dist = tf.tidy(() =>
            distance.pairwise(tf.gather(w, tf.tensor1d(Int32Array.from(tile), 'int32')), tf.gather(w, tf.tensor1d(Int32Array.from(cand), 'int32'))),
          );
          const dv = await dist.data();
          dist.dispose();
          const m = cand.length;
          tile.forEach((a, i) => {
            const list = nbrs[i]!;
            let s = 0;
            for (const v of list) s += dv[i * m + col[v]!]!;
            values[a] = scaling === 'mean' && list.length > 0 ? s / list.length : s;
          });
        }
        for (const v of cand) col[v] = -1;
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
