/**
 * Mean of each cluster's members.
 * @param ids - cluster ids to compute, in output order
 * @returns centroids [ids.length, d] (row-major) and member counts
 */
export function clusterCentroids(data: Float64Array, n: number, d: number, labels: Int32Array, ids: readonly number[]): { centroids: Float64Array; sizes: Float64Array } {
  const slot = new Map<number, number>(ids.map((id, s) => [id, s]));
  const centroids = new Float64Array(ids.length * d);
  const sizes = new Float64Array(ids.length);
  for (let i = 0; i < n; i++) {
    const s = slot.get(labels[i]!);
    if (s === undefined) continue;
    sizes[s]!++;
    for (let t = 0; t < d; t++) centroids[s * d + t]! += data[i * d + t]!;
  }
  for (let s = 0; s < ids.length; s++) {
    if (sizes[s]! > 0) for (let t = 0; t < d; t++) centroids[s * d + t]! /= sizes[s]!;
  }
  return { centroids, sizes };
}
