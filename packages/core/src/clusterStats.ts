import type { SOM } from './SOM.js';
import type { MatrixInput } from './toMatrix.js';

/** What {@link clusterStats} returns. */
export interface ClusterStats {
  /**
   * log of the standard deviation (n − 1 in the denominator, as torch's `std`) of the hit counts
   * of the units that have hits: how unevenly the data spreads over the used units. −Infinity
   * when all used units have the same count, NaN with a single used unit.
   */
  readonly logHitStd: number;
  /** Mean over used units of the largest distance from a member to its unit. */
  readonly meanMaxDistance: number;
  /** Units that are no sample's BMU. */
  readonly emptyUnits: number;
  /** [u] hit counts, the numbers behind the three statistics. */
  readonly hits: Int32Array;
}

/**
 * fastsom's `cluster_stats` (its three numbers, in its order, named; fastsom runs on CUDA only,
 * this anywhere): each unit is the cluster of the samples it is BMU of. fastsom's mean of maxima
 * indexes the distances by BMU instead of by sample; this takes each member's own distance, as
 * its comment says ("the max distance for each BMU cluster"). Distances are the model's.
 *
 * ```ts
 * const { logHitStd, meanMaxDistance, emptyUnits } = await clusterStats(som, data);
 * ```
 * @param data - samples [n, dims]
 */
export async function clusterStats(som: SOM, data: MatrixInput): Promise<ClusterStats> {
  const { indices, distances } = await som.topUnits(data, 1);
  const u = som.units;
  const hits = new Int32Array(u);
  const far = new Float64Array(u);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    hits[k] = hits[k]! + 1;
    if (distances[i]! > far[k]!) far[k] = distances[i]!;
  }
  const used = [...hits.keys()].filter((k) => hits[k]! > 0);
  const mean = used.reduce((s, k) => s + hits[k]!, 0) / used.length;
  const variance = used.reduce((s, k) => s + (hits[k]! - mean) ** 2, 0) / (used.length - 1);
  return {
    logHitStd: Math.log(Math.sqrt(variance)),
    meanMaxDistance: used.reduce((s, k) => s + far[k]!, 0) / used.length,
    emptyUnits: u - used.length,
    hits,
  };
}
