import { kmeans as mlKmeans } from 'ml-kmeans';
import { SomError, type AbortSignalLike } from '@somkit/plugin-api';
import { denseRows, toDense, type DenseMatrix, type Points } from './Points.js';
import { autoKMax, type KCurve } from './KCurve.js';
import { checkAbort } from './checkAbort.js';

/** Options of {@link fitKMeans}. */
export interface KMeansOptions {
  /** Number of clusters, 1 ≤ k ≤ n. Omit for the elbow rule over k = 2..min(10, max(2, ⌊√n⌋)). */
  k?: number | undefined;
  /** Restarts with k-means++ seeding; the run with the lowest inertia is kept. Default 10. */
  nInit?: number | undefined;
  /** Seed of the first restart (restart r uses seed + r). Default 42. */
  seed?: number | undefined;
  /** Lloyd iterations per restart. Default 300. */
  maxIterations?: number | undefined;
  signal?: AbortSignalLike | undefined;
}

/** What {@link fitKMeans} returns. */
export interface KMeansFit {
  /** [n] cluster of each point, 0-based. */
  labels: Int32Array;
  /** Number of clusters asked for (or chosen by the elbow rule). */
  k: number;
  /** [k][d] centroids. */
  centers: number[][];
  /** Sum of squared distances of points to their centroid. */
  inertia: number;
  /** The elbow curve (inertia per k) when k was chosen automatically. */
  curve?: KCurve;
}

/**
 * k-means on points: ml-kmeans (Lloyd, k-means++ seeding) with `nInit` seeded restarts, keeping
 * the lowest inertia. Without `k`, TorchSOM's elbow rule: inertias for k = 2..kmax (3 restarts
 * each), then the k at the largest discrete second difference `I[k−1] − 2·I[k] + I[k+1]`
 * (k = 2 when fewer than three candidates).
 *
 * ```ts
 * const { labels, centers, inertia } = fitKMeans(points, { k: 3, seed: 42 });
 * ```
 * @param points - [n, d]
 * @throws SomError ERR_INVALID_CONFIG for k outside [1, n] or bad nInit/seed/maxIterations
 */
export function fitKMeans(points: Points, options: KMeansOptions = {}): KMeansFit {
  return fitKMeansDense(toDense(points), options);
}

/** {@link fitKMeans} on a validated matrix. */
export function fitKMeansDense(x: DenseMatrix, options: KMeansOptions = {}): KMeansFit {
  const nInit = intOption(options.nInit, 10, 1, 'nInit');
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) throw new SomError('ERR_INVALID_CONFIG', `seed: expected an integer, got ${String(seed)}.`);
  const maxIterations = intOption(options.maxIterations, 300, 1, 'maxIterations');
  const rows = denseRows(x);
  if (options.k !== undefined) {
    const k = options.k;
    if (!Number.isInteger(k) || k < 1 || k > x.n) {
      throw new SomError('ERR_INVALID_CONFIG', `k: expected an integer in [1, ${x.n}] (1 to the number of points), got ${String(k)}.`);
    }
    return bestOf(x, rows, k, nInit, seed, maxIterations, options.signal);
  }
  if (x.n < 2) {
    throw new SomError('ERR_INVALID_CONFIG', `k: the automatic elbow rule needs at least 2 points, got ${x.n}. Pass k: 1.`);
  }
  const kmax = autoKMax(x.n);
  const ks: number[] = [];
  const values: number[] = [];
  for (let k = 2; k <= kmax; k++) {
    ks.push(k);
    values.push(bestOf(x, rows, k, Math.min(3, nInit), seed, maxIterations, options.signal).inertia);
  }
  const k = elbowK(ks, values);
  return { ...bestOf(x, rows, k, nInit, seed, maxIterations, options.signal), curve: { ks, values, criterion: 'inertia' } };
}

/** TorchSOM's elbow: the k with the largest second difference of inertia. */
export function elbowK(ks: readonly number[], inertias: readonly number[]): number {
  if (ks.length < 3) return ks[0]!;
  let best = 1;
  let bestValue = -Infinity;
  for (let i = 1; i < inertias.length - 1; i++) {
    const v = inertias[i - 1]! - 2 * inertias[i]! + inertias[i + 1]!;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return ks[best]!;
}

function bestOf(x: DenseMatrix, rows: number[][], k: number, nInit: number, seed: number, maxIterations: number, signal: AbortSignalLike | undefined): KMeansFit {
  let best: KMeansFit | undefined;
  for (let r = 0; r < nInit; r++) {
    checkAbort(signal, 'k-means');
    const res = mlKmeans(rows, k, { seed: seed + r, initialization: 'kmeans++', maxIterations, tolerance: 1e-10 });
    // Final assignment against the returned centroids, so labels, centers and inertia agree.
    const { labels, inertia } = assign(x, res.centroids);
    if (best === undefined || inertia < best.inertia) best = { labels, k, centers: res.centroids.map((c) => [...c]), inertia };
  }
  return best!;
}

function assign(x: DenseMatrix, centers: number[][]): { labels: Int32Array; inertia: number } {
  const { data, n, d } = x;
  const labels = new Int32Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let bestC = 0;
    let bestD = Infinity;
    for (let c = 0; c < centers.length; c++) {
      const center = centers[c]!;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t]! - center[t]!;
        s += diff * diff;
      }
      if (s < bestD) {
        bestD = s;
        bestC = c;
      }
    }
    labels[i] = bestC;
    inertia += bestD;
  }
  return { labels, inertia };
}

function intOption(v: number | undefined, def: number, min: number, name: string): number {
  const x = v ?? def;
  if (!Number.isInteger(x) || x < min) throw new SomError('ERR_INVALID_CONFIG', `${name}: expected an integer ≥ ${min}, got ${String(v)}.`);
  return x;
}
