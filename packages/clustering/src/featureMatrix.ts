import type { Codebook } from '@somkit/plugin-api';
import type { ClusterSpace } from './ClusterOptions.js';
import type { DenseMatrix } from './Points.js';

/**
 * The [u, f] matrix a codebook is clustered on: weights (f = d), plane positions (f = 2) or both
 * (f = d + 2).
 */
export function featureMatrix(cb: Codebook, space: ClusterSpace): DenseMatrix {
  const u = cb.units;
  const d = space === 'weights' ? cb.dims : space === 'positions' ? 2 : cb.dims + 2;
  const data = new Float64Array(u * d);
  for (let i = 0; i < u; i++) {
    let o = i * d;
    if (space !== 'positions') for (let t = 0; t < cb.dims; t++) data[o++] = cb.weights[i * cb.dims + t]!;
    if (space !== 'weights') {
      data[o++] = cb.coords[2 * i]!;
      data[o++] = cb.coords[2 * i + 1]!;
    }
  }
  return { data, n: u, d };
}
