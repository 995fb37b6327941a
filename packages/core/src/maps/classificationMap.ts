import type { MapData } from '@somkit/plugin-api';
import type { Grid } from '@somkit/geometry';
import { makeMapData } from './makeMapData.js';

function labelCounts(labels: Float64Array, idx: Iterable<number>, into = new Map<number, number>()): Map<number, number> {
  for (const i of idx) {
    const l = labels[i]!;
    into.set(l, (into.get(l) ?? 0) + 1);
  }
  return into;
}

/** Labels holding the largest count among `candidates`, in `counts`. */
function argmaxLabels(candidates: readonly number[], counts: Map<number, number>): number[] {
  let best = -1;
  let out: number[] = [];
  for (const l of candidates) {
    const c = counts.get(l) ?? 0;
    if (c > best) {
      best = c;
      out = [l];
    } else if (c === best) out.push(l);
  }
  return out;
}

/**
 * Majority label per unit (TorchSOM `classification`). Ties are broken by the label counts of the
 * samples in the neighbour units (rings 1..`order`, torus-aware); ties left after that go to the
 * smallest label — deterministic, unlike TorchSOM's unseeded `random.choice`. Empty units are NaN.
 * @param members - [u] sample indices per unit
 * @param labels - [n] class ids
 * @param order - neighbourhood order for the tie-break, ≥ 1
 */
export function classificationMap(grid: Grid, members: Int32Array[], labels: Float64Array, order: number): MapData {
  const values = new Float32Array(grid.units).fill(Number.NaN);
  for (let u = 0; u < grid.units; u++) {
    const idx = members[u]!;
    if (idx.length === 0) continue;
    const counts = labelCounts(labels, idx);
    let tied = argmaxLabels([...counts.keys()], counts);
    if (tied.length > 1) {
      const around = new Map<number, number>();
      for (const v of grid.neighborhood(u, order)) labelCounts(labels, members[v]!, around);
      tied = argmaxLabels(tied, around);
    }
    values[u] = Math.min(...tied);
  }
  return makeMapData(grid, 'classification', values, 'Class');
}
