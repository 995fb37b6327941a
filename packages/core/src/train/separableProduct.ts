import * as tf from '@tensorflow/tfjs-core';
import type { NeighborhoodPlugin } from '@somkit/plugin-api';
import { minimumImage, type Grid } from '@somkit/geometry';

/** [n, n] squared offsets (b − a)² along one axis of length n, minimum image when `wrap`. */
function axisDist2(n: number, wrap: boolean): Float32Array {
  const out = new Float32Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let d = b - a;
      if (wrap) d = minimumImage(d, n);
      out[a * n + b] = d * d;
    }
  }
  return out;
}

/**
 * The batch-map neighbourhood product `G·m` [u, c] for a separable kernel (`plugin.separable`) on a
 * rectangular grid (torus included): `G = G_rows ⊗ G_cols`, so `G·m` is the column kernel applied
 * within every grid row, then the row kernel across rows — two products of O(u·(rows + cols)·c)
 * instead of one of O(u²·c) (at 200 × 200 units and c = 33: ~1 GFLOP instead of ~105). Runs on the
 * active tfjs backend. `undefined` when it does not apply (a kernel that is not separable, or a
 * hexagonal grid, whose odd rows are shifted): then the full product runs.
 * @param m - [u, c] row-major, unit u = row·cols + col
 */
export async function separableProduct(grid: Grid, plugin: NeighborhoodPlugin, sigma: number, m: Float32Array, c: number): Promise<Float32Array | undefined> {
  if (plugin.separable !== true || grid.topology !== 'rectangular') return undefined;
  const { rows: R, cols: C, pbc } = grid;
  const out = tf.tidy(() => {
    const gc = plugin.weights(tf.tensor2d(axisDist2(C, pbc), [C, C]), sigma);
    const gr = plugin.weights(tf.tensor2d(axisDist2(R, pbc), [R, R]), sigma);
    // [R, C, c] → [C, R·c]: columns first, then the column kernel (symmetric) mixes columns.
    const byCol = tf.reshape(tf.transpose(tf.reshape(tf.tensor2d(m, [R * C, c]), [R, C, c]), [1, 0, 2]), [C, R * c]);
    const t = tf.matMul(gc, byCol);
    // [C, R, c] → [R, C·c]: rows first, then the row kernel mixes rows; back to [u, c].
    const byRow = tf.reshape(tf.transpose(tf.reshape(t, [C, R, c]), [1, 0, 2]), [R, C * c]);
    return tf.matMul(gr, byRow);
  });
  try {
    return new Float32Array((await out.data()) as Float32Array);
  } finally {
    out.dispose();
  }
}
