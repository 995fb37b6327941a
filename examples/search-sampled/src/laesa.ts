import type { RowMetric } from './metrics.js';

/** k nearest units of every sample, flat [n, k], nearest first. */
export interface KnnResult {
  indices: Int32Array;
  distances: Float32Array;
  /** Distance evaluations done (pivots included), out of n·u for a brute force. */
  evaluations: number;
}

/** Deterministic PRNG in [0, 1) (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `p` distinct unit indices out of `u`, sampled with a seeded partial Fisher–Yates shuffle. */
export function samplePivots(u: number, p: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: u }, (_, i) => i);
  const next = rng(seed);
  for (let i = 0; i < p; i++) {
    const j = i + Math.floor(next() * (u - i));
    const t = all[i] as number;
    all[i] = all[j] as number;
    all[j] = t;
  }
  return all.slice(0, p);
}

/**
 * Exact k-nearest-unit search with sampled pivots (LAESA). For every unit j and pivot q the
 * distance d(w_j, w_q) is computed once; for a sample x, d(x, w_q) gives the lower bound
 * |d(x, w_q) − d(w_j, w_q)| ≤ d(x, w_j) (triangle inequality). Units are visited by increasing
 * bound and the visit stops once the bound exceeds the k-th best distance found: the result is the
 * same as a brute force (ties broken by the smaller unit index).
 *
 * @param x - samples [n, d], row-major
 * @param w - codebook [u, d], row-major
 */
export function laesaKnn(x: ArrayLike<number>, n: number, w: ArrayLike<number>, u: number, d: number, k: number, metric: RowMetric, pivots: Int32Array): KnnResult {
  const p = pivots.length;
  let evaluations = 0;
  // [u, p] distances from every unit to every pivot.
  const unitToPivot = new Float64Array(u * p);
  for (let j = 0; j < u; j++) for (let q = 0; q < p; q++) unitToPivot[j * p + q] = metric(w, j, w, pivots[q] as number, d);

  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  const toPivot = new Float64Array(p);
  const bound = new Float64Array(u);
  const exact = new Float64Array(u);
  const known = new Uint8Array(u);
  const order = Int32Array.from({ length: u }, (_, i) => i);
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    known.fill(0);
    for (let q = 0; q < p; q++) {
      const unit = pivots[q] as number;
      toPivot[q] = metric(x, i, w, unit, d);
      exact[unit] = toPivot[q] as number;
      known[unit] = 1;
      evaluations++;
    }
    for (let j = 0; j < u; j++) {
      let lb = 0;
      for (let q = 0; q < p; q++) lb = Math.max(lb, Math.abs((toPivot[q] as number) - (unitToPivot[j * p + q] as number)));
      bound[j] = lb;
    }
    order.sort((a, b) => (bound[a] as number) - (bound[b] as number) || a - b);
    let count = 0;
    for (let r = 0; r < u; r++) {
      const j = order[r] as number;
      // Every unit left has a bound at least this large: none can enter the top k.
      if (count === k && (bound[j] as number) > (bestD[k - 1] as number)) break;
      let dist: number;
      if (known[j] === 1) dist = exact[j] as number;
      else {
        dist = metric(x, i, w, j, d);
        evaluations++;
      }
      if (count === k && (dist > (bestD[k - 1] as number) || (dist === bestD[k - 1] && j > (bestI[k - 1] as number)))) continue;
      // Insertion into the sorted top-k.
      let pos = count < k ? count++ : k - 1;
      while (pos > 0 && ((bestD[pos - 1] as number) > dist || (bestD[pos - 1] === dist && (bestI[pos - 1] as number) > j))) {
        bestD[pos] = bestD[pos - 1] as number;
        bestI[pos] = bestI[pos - 1] as number;
        pos--;
      }
      bestD[pos] = dist;
      bestI[pos] = j;
    }
    for (let r = 0; r < k; r++) {
      indices[i * k + r] = bestI[r] as number;
      distances[i * k + r] = bestD[r] as number;
    }
  }
  return { indices, distances, evaluations };
}
