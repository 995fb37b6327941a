import type { SOM } from './SOM.js';
import type { MatrixInput } from './toMatrix.js';

/**
 * fastsom's `codebook_err`: how far the units' clusters overlap. For every unit k with members
 * (the samples whose BMU it is), let r_k be the largest distance from a member to w_k; count the
 * samples that are *not* members of k yet lie closer to w_k than r_k. The sum over units, divided
 * by units · samples, is returned — 0 when every unit's ball holds only its own members. Distances
 * are the model's (`som.transform`), BMUs its search (`som.identifyBmus`). fastsom groups the
 * samples by the index of their BMU among the BMUs seen, not by the unit, which mixes up units
 * when some are empty; this follows the docstring ("records not belonging to each cluster that are
 * closer than that cluster's furthest record").
 *
 * ```ts
 * const err = await codebookError(som, data); // number in [0, 1)
 * ```
 * Memory: the [n, u] distances of `som.transform(data)`; split large inputs yourself.
 * @param data - samples [n, dims]
 */
export async function codebookError(som: SOM, data: MatrixInput): Promise<number> {
  const bmus = await som.identifyBmus(data);
  const dist = await som.transform(data);
  const u = som.units;
  const n = bmus.length;
  const radius = new Float64Array(u).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const k = bmus[i]!;
    const d = dist[i * u + k]!;
    if (d > radius[k]!) radius[k] = d;
  }
  let count = 0;
  for (let i = 0; i < n; i++) {
    const own = bmus[i]!;
    for (let k = 0; k < u; k++) if (k !== own && dist[i * u + k]! < radius[k]!) count++;
  }
  return count / (u * n);
}
