import { kmeans as mlKmeans } from 'ml-kmeans';
import { SomError, type AbortSignalLike } from '@somkit/plugin-api';
import { denseRows, toDense, type DenseMatrix, type Points } from './Points.js';
import { autoKMax, type KCurve } from './KCurve.js';
import { checkAbort } from './checkAbort.js';
import { countPositive, unitWeights } from './unitWeights.js';
import { weightedKMeansRun } from './weightedKMeans.js';

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
  /**
   * [n] point weights (for a codebook: each unit's hit count). Centroids, inertia and the
   * k-means++ draws are weighted (scikit-learn's `sample_weight`); zero-weight points are
   * labelled but never pull a centroid. At least k points need a positive weight. Omit for the
   * unweighted ml-kmeans run.
   */
  weights?: ArrayLike<number> | undefined;
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
  /** Sum of squared distances of points to their centroid (weighted by `weights` when given). */
  inertia: number;
  /** The elbow curve (inertia per k) when k was chosen automatically. */
  curve?: KCurve;
}

/**
 * k-means on points: ml-kmeans (Lloyd, k-means++ seeding) with `nInit` seeded restarts, keeping
 * the lowest inertia. Without `k`, TorchSOM's elbow rule: inertias for k = 2..kmax (3 restarts
 * each), then the k at the largest discrete second difference `I[k−1] − 2·I[k] + I[k+1]`
 * (k = 2 when fewer than three candidates). With `weights`, our own weighted Lloyd with greedy
 * weighted k-means++ seeding instead (scikit-learn's algorithm with `sample_weight`); kmax then
 * counts only the points of positive weight.
 *
 * ```ts
 * const { labels, centers, inertia } = fitKMeans(points, { k: 3, seed: 42 });
 * ```
 * @param points - [n, d]
 * @throws SomError ERR_INVALID_CONFIG for k outside [1, n] (or above the points of positive
 *   weight) or bad nInit/seed/maxIterations; weights errors as {@link unitWeights}
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
  const w = options.weights === undefined ? undefined : unitWeights(options.weights, x.n);
  const rows = w === undefined ? denseRows(x) : [];
  const run = (k: number, restarts: number): KMeansFit => (w === undefined ? bestOf(x, rows, k, restarts, seed, maxIterations, options.signal) : bestOfWeighted(x, w, k, restarts, seed, maxIterations, options.signal));
  const positive = w === undefined ? x.n : countPositive(w);
  if (options.k !== undefined) {
    const k = options.k;
    if (!Number.isInteger(k) || k < 1 || k > x.n) {
      throw new SomError('ERR_INVALID_CONFIG', `k: expected an integer in [1, ${x.n}] (1 to the number of points), got ${String(k)}.`);
    }
    if (k > positive) {
      throw new SomError('ERR_INVALID_CONFIG', `k: expected at most ${positive} (the points with a positive weight), got ${k}. Lower k, or weight by more data.`);
    }
    return run(k, nInit);
  }
  if (positive < 2) {
    throw new SomError('ERR_INVALID_CONFIG', `k: the automatic elbow rule needs at least 2 points${w === undefined ? '' : ' of positive weight'}, got ${positive}. Pass k: 1.`);
  }
  const kmax = autoKMax(positive);
  const ks: number[] = [];
  const values: number[] = [];
  for (let k = 2; k <= kmax; k++) {
    ks.push(k);
    values.push(run(k, Math.min(3, nInit)).inertia);
  }
  const k = elbowK(ks, values);
  return { ...run(k, nInit), curve: { ks, values, criterion: 'inertia' } };
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

function bestOfWeighted(x: DenseMatrix, w: Float64Array, k: number, nInit: number, seed: number, maxIterations: number, signal: AbortSignalLike | undefined): KMeansFit {
  let best: KMeansFit | undefined;
  for (let r = 0; r < nInit; r++) {
    checkAbort(signal, 'k-means');
    const res = weightedKMeansRun(x, w, k, seed + r, maxIterations);
    if (best === undefined || res.inertia < best.inertia) best = { ...res, k };
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
