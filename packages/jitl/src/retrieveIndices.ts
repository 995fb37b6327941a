import type { Grid } from '@somkit/geometry';
import type { RetrievalMode } from './RetrievalMode.js';

/** The pure retrieval step of {@link collectSamples}, for one query whose BMU is known. */
export interface RetrievalPlan {
  bmu: number;
  mode: RetrievalMode;
  neighborhoodOrder: number;
  minBufferThreshold: number;
}

/**
 * Phase 1: the BMU cell, then (unless `bmu_only`) the cells of rings 1..order in ring order,
 * ascending units within a ring (hexagonal rings and torus wrap from `grid.ring`).
 * @returns the indices so far and the visited units
 */
export function neighborhoodIndices(plan: RetrievalPlan, grid: Grid, members: readonly Int32Array[]): { indices: number[]; visited: Uint8Array } {
  const visited = new Uint8Array(grid.units);
  const indices: number[] = [];
  const take = (unit: number): void => {
    if (visited[unit] === 1) return;
    visited[unit] = 1;
    for (const i of members[unit]!) indices.push(i);
  };
  take(plan.bmu);
  if (plan.mode !== 'bmu_only') {
    for (let k = 1; k <= plan.neighborhoodOrder; k++) for (const v of grid.ring(plan.bmu, k)) take(v);
  }
  return { indices, visited };
}

/** True when phase 2 (nearest cells by codebook distance) must run for this buffer. */
export function needsKnn(plan: RetrievalPlan, count: number): boolean {
  return plan.mode === 'bmu_neighborhood_knn' && count <= plan.minBufferThreshold;
}

/**
 * Phase 2 (`bmu_neighborhood_knn`): while the buffer holds ≤ threshold samples, add whole
 * not-yet-visited non-empty cells in ascending codebook distance to the BMU's codebook vector
 * (ties by unit index).
 * @param unitDistances - [u] distance from the BMU's codebook vector to every unit's
 */
export function knnIndices(plan: RetrievalPlan, members: readonly Int32Array[], visited: Uint8Array, indices: number[], unitDistances: ArrayLike<number>): void {
  const candidates: number[] = [];
  for (let v = 0; v < members.length; v++) if (visited[v] === 0 && members[v]!.length > 0) candidates.push(v);
  candidates.sort((a, b) => unitDistances[a]! - unitDistances[b]! || a - b);
  for (const v of candidates) {
    if (indices.length > plan.minBufferThreshold) break;
    visited[v] = 1;
    for (const i of members[v]!) indices.push(i);
  }
}
