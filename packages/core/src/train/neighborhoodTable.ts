import * as tf from '@tensorflow/tfjs-core';
import type { NeighborhoodPlugin, NeighborhoodTable } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import { gridOffsets } from './gridOffsets.js';

/**
 * The neighbourhood kernel of a grid at radius σ as a {@link NeighborhoodTable}:
 * `values[base[a] + offset[b]] = scale · h(d²(a, b), σ)`. The plugin is evaluated once on the
 * offset table's ~4·u (hexagonal: ~8·u) squared distances — the plugin contract makes the kernel
 * elementwise in d² — so no [u, u] array is ever built. Memory: O(u). A kernel that declares
 * `offsetWeights` (rhomb, square) is evaluated on the per-axis offsets of the same table
 * (`gridAxisOffsets`) instead; every engine gets the table's values, so it runs every kernel.
 * @param scale - α / b for a minibatch step, 1 for batch-map
 */
export async function neighborhoodTable(grid: Grid, plugin: NeighborhoodPlugin, sigma: number, scale = 1): Promise<NeighborhoodTable> {
  // A kernel over grid offsets (rhomb, square) takes the per-axis offsets, loaded on first use;
  // radial kernels keep the d² path.
  if (plugin.offsetWeights) return (await import('./offsetNeighborhoodTable.js')).offsetNeighborhoodTable(grid, plugin, sigma, scale);
  const { d2, base, offset } = gridOffsets(grid);
  const t = tf.tidy(() => {
    const h = plugin.weights(tf.tensor1d(d2, 'float32'), sigma);
    return scale === 1 ? tf.clone(h) : tf.mul(h, scale);
  });
  try {
    const values = new Float32Array((await t.data()) as Float32Array);
    return { values, base, offset };
  } finally {
    t.dispose();
  }
}

/** The same table with every value multiplied by `f` (a shorter last batch: α / size instead of α / b). */
export function scaleTable(t: NeighborhoodTable, f: number): NeighborhoodTable {
  const values = new Float32Array(t.values.length);
  for (let i = 0; i < values.length; i++) values[i] = t.values[i]! * f;
  return { values, base: t.base, offset: t.offset };
}

/** Row `a` of the kernel ([u] weights of every unit against unit a) into `out` at `at`. */
export function kernelRow(t: NeighborhoodTable, a: number, out: Float32Array, at = 0): void {
  const b0 = t.base[a]!;
  const { values, offset } = t;
  for (let j = 0; j < offset.length; j++) out[at + j] = values[b0 + offset[j]!]!;
}
