import * as tf from '@tensorflow/tfjs-core';
import type { NeighborhoodPlugin, NeighborhoodTable } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import { gridAxisOffsets } from './gridAxisOffsets.js';
import { gridOffsets } from './gridOffsets.js';

/**
 * `neighborhoodTable` for a kernel over grid offsets (`plugin.offsetWeights`: rhomb, square): the
 * same table layout, its values `scale · h(Δrow, Δcol, σ)` evaluated once on the per-axis offsets
 * of {@link gridAxisOffsets}. Loaded on first use, so apps with radial kernels never download it.
 * @param scale - α / b for a minibatch step, 1 for batch-map
 */
export async function offsetNeighborhoodTable(grid: Grid, plugin: NeighborhoodPlugin, sigma: number, scale: number): Promise<NeighborhoodTable> {
  const { base, offset } = gridOffsets(grid);
  const { dRow, dCol } = gridAxisOffsets(grid);
  const t = tf.tidy(() => tf.mul(plugin.offsetWeights!(tf.tensor1d(dRow, 'float32'), tf.tensor1d(dCol, 'float32'), sigma), scale));
  try {
    return { values: new Float32Array((await t.data()) as Float32Array), base, offset };
  } finally {
    t.dispose();
  }
}
