import type { DenseMatrix } from './Points.js';
import { seededRandom } from './seededRandom.js';

/** One weighted k-means run: labels, centroids and weighted inertia agree with each other. */
export interface WeightedKMeansRun {
  labels: Int32Array;
  centers: number[][];
  inertia: number;
}

/**
 * One restart of k-means with point weights (scikit-learn's `sample_weight`): greedy k-means++
 * seeding with 2 + ⌊ln k⌋ candidates per centre drawn ∝ w·D², then Lloyd iterations with
 * weighted centroids `Σ wᵢxᵢ / Σ wᵢ`; a centroid left without weight moves to the point that
 * costs most (as scikit-learn relocates empty clusters). Zero-weight points never seed or move a
 * centroid but are still labelled by their nearest one. Inertia is `Σ wᵢ‖xᵢ − c‖²`.
 *
 * @param x - [n, d]
 * @param w - [n] validated weights (non-negative, some positive); at least k positive
 */
export function weightedKMeansRun(x: DenseMatrix, w: Float64Array, k: number, seed: number, maxIterations: number): WeightedKMeansRun {
  const { n, d } = x;
  const centers = seed_(x, w, k, seed);
  const labels = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);
  for (let it = 0; it < maxIterations; it++) {
    const changed = assignTo(x, centers, k, labels, dist);
    if (!changed && it > 0) break;
    // Weighted centroids [k, d].
    sums.fill(0);
    mass.fill(0);
    for (let i = 0; i < n; i++) {
      const wi = w[i]!;
      if (wi === 0) continue;
      const c = labels[i]!;
      mass[c]! += wi;
      for (let t = 0; t < d; t++) sums[c * d + t]! += wi * x.data[i * d + t]!;
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (mass[c] === 0) {
        // Relocate an empty centroid to the costliest point (w·D²), then take that point out of the running.
        let far = -1;
        let farCost = -1;
        for (let i = 0; i < n; i++) {
          const cost = w[i]! * dist[i]!;
          if (w[i]! > 0 && cost > farCost) {
            farCost = cost;
            far = i;
          }
        }
        for (let t = 0; t < d; t++) centers[c * d + t] = x.data[far * d + t]!;
        dist[far] = 0;
        shift = Infinity;
        continue;
      }
      for (let t = 0; t < d; t++) {
        const v = sums[c * d + t]! / mass[c]!;
        const diff = v - centers[c * d + t]!;
        shift += diff * diff;
        centers[c * d + t] = v;
      }
    }
    if (shift === 0) break;
  }
  assignTo(x, centers, k, labels, dist);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += w[i]! * dist[i]!;
  return { labels, centers: Array.from({ length: k }, (_, c) => Array.from(centers.subarray(c * d, (c + 1) * d))), inertia };
}

/** Nearest centre of every point; fills `labels` and squared distances; true when a label changed. */
function assignTo(x: DenseMatrix, centers: Float64Array, k: number, labels: Int32Array, dist: Float64Array): boolean {
  const { data, n, d } = x;
  let changed = false;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t]! - centers[c * d + t]!;
        s += diff * diff;
      }
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    if (labels[i] !== best) changed = true;
    labels[i] = best;
    dist[i] = bestD;
  }
  return changed;
}

function sqDist(x: DenseMatrix, i: number, j: number): number {
  const { data, d } = x;
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = data[i * d + t]! - data[j * d + t]!;
    s += diff * diff;
  }
  return s;
}

/** Index of the first point whose cumulative `p` exceeds `v` (points with p = 0 are never chosen). */
function draw(p: Float64Array, v: number): number {
  let acc = 0;
  let last = -1;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! <= 0) continue;
    acc += p[i]!;
    last = i;
    if (acc > v) return i;
  }
  return last;
}

/** Greedy weighted k-means++ (scikit-learn `_kmeans_plusplus` with sample_weight): [k, d] centres. */
function seed_(x: DenseMatrix, w: Float64Array, k: number, seed: number): Float64Array {
  const { data, n, d } = x;
  const rnd = seededRandom(seed);
  const centers = new Float64Array(k * d);
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i]!;
  const first = draw(w, rnd.next() * total);
  centers.set(data.subarray(first * d, (first + 1) * d), 0);
  const closest = new Float64Array(n);
  const cost = new Float64Array(n);
  const cand = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(x, i, first);
    pot += w[i]! * closest[i]!;
  }
  const trials = 2 + Math.floor(Math.log(k));
  for (let c = 1; c < k; c++) {
    for (let i = 0; i < n; i++) cost[i] = w[i]! * closest[i]!;
    let bestId = -1;
    let bestPot = Infinity;
    let bestDist: Float64Array | undefined;
    for (let t = 0; t < trials; t++) {
      // Every positive-weight point already coincides with a centre: any positive point will do.
      const id = pot > 0 ? draw(cost, rnd.next() * pot) : draw(w, rnd.next() * total);
      let candPot = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.min(closest[i]!, sqDist(x, i, id));
        cand[i] = v;
        candPot += w[i]! * v;
      }
      if (candPot < bestPot) {
        bestPot = candPot;
        bestId = id;
        bestDist = Float64Array.from(cand);
      }
    }
    centers.set(data.subarray(bestId * d, (bestId + 1) * d), c * d);
    closest.set(bestDist!);
    pot = bestPot;
  }
  return centers;
}
