import { SomError, type Codebook } from '@somkit/plugin-api';
import type { ClusterOptions } from './ClusterOptions.js';
import type { ClusterResult } from './ClusterResult.js';
import { resolveClusterOptions } from './resolveClusterOptions.js';
import { validateCodebook } from './validateCodebook.js';
import { featureMatrix } from './featureMatrix.js';
import { fitKMeansDense } from './fitKMeans.js';
import { fitGmmDense } from './fitGmm.js';
import { fitHdbscanDense } from './fitHdbscan.js';
import { clusterCentroids } from './clusterCentroids.js';
import { silhouetteDense } from './silhouetteScore.js';
import { daviesBouldinDense } from './daviesBouldinScore.js';
import { calinskiHarabaszDense } from './calinskiHarabaszScore.js';
import { topologicalCoherenceChecked } from './topologicalCoherence.js';
import { checkAbort } from './checkAbort.js';
import { unitWeights } from './unitWeights.js';
import { defaultMinClusterSize } from './defaultMinClusterSize.js';

/**
 * Clusters the neurons of a trained map (TorchSOM `som.cluster`): k-means (ml-kmeans, seeded
 * restarts), a Gaussian mixture (EM) or HDBSCAN, on the codebook vectors, the grid positions or
 * both, with automatic k when `k` is omitted, and quality metrics. Works on plain data: pass
 * `som.getCodebook()`.
 *
 * Labels are **0-based** (TorchSOM's are 1-based); HDBSCAN marks noise units −1, and when it
 * finds no cluster at all every unit is noise and `warning` says so (TorchSOM would instead put
 * every unit in one cluster).
 *
 * Pass `weights` (each unit's hit count, {@link hitCounts}) to cluster the data rather than the
 * grid: units that interpolate between groups carry few hits, and unweighted they pull clusters
 * apart (on 10 separated blobs, unweighted k-means reaches ARI 0.81, weighted 1.0). The metrics
 * stay unweighted, over the units.
 *
 * ```ts
 * const res = await cluster(som.getCodebook(), { method: 'kmeans', k: 3 });
 * res.labels;          // Int32Array [u], 0..2
 * res.metrics.silhouette;
 * const auto = await cluster(som.getCodebook(), { method: 'gmm' }); // k by BIC, auto.curve
 * const hits = hitCounts(await som.identifyBmus(x), som.units);
 * const dense = await cluster(som, { method: 'hdbscan', weights: hits }); // units without hits → −1
 * ```
 * @param source - the map's codebook [u, d] with its grid, or a trained SOM (`cluster(som, …)`)
 * @throws SomError ERR_INVALID_CONFIG (unknown method/space/option, k outside [1, u] or above
 *   the units with hits), ERR_SHAPE_MISMATCH (malformed codebook, weights not of length u),
 *   ERR_INVALID_INPUT (a negative weight, all weights 0), ERR_NON_FINITE, ERR_ABORTED
 */
export async function cluster(source: Codebook | { getCodebook(): Codebook }, options?: ClusterOptions): Promise<ClusterResult> {
  // Sugar: a trained SOM (anything with getCodebook()) is clustered on its codebook.
  const codebook = typeof (source as { getCodebook?: unknown }).getCodebook === 'function' ? (source as { getCodebook(): Codebook }).getCodebook() : (source as Codebook);
  const o = resolveClusterOptions(options);
  validateCodebook(codebook);
  const u = codebook.units;
  const weights = o.weights === undefined ? undefined : unitWeights(o.weights, u);
  if (o.k !== undefined && o.method !== 'hdbscan' && (o.k < 1 || o.k > u)) {
    throw new SomError('ERR_INVALID_CONFIG', `k: expected an integer in [1, ${u}] (1 to the number of units of this ${codebook.rows}×${codebook.cols} map), got ${o.k}. Omit k for automatic selection.`);
  }
  if (o.method !== 'hdbscan' && o.k === undefined && u < 2) {
    throw new SomError('ERR_INVALID_CONFIG', `k: automatic selection needs at least 2 units, this map has ${u}. Pass k: 1.`);
  }
  checkAbort(o.signal, 'Clustering');
  // Let an abort issued right after the call land before the heavy work starts.
  await Promise.resolve();
  const x = featureMatrix(codebook, o.space);
  const base = { method: o.method, space: o.space };
  let labels: Int32Array;
  let k: number;
  let centers: number[][];
  const extra: Pick<ClusterResult, 'curve' | 'inertia' | 'bic' | 'aic' | 'warning'> = {};
  if (o.method === 'kmeans') {
    const fit = fitKMeansDense(x, { k: o.k, nInit: o.nInit, seed: o.seed, maxIterations: o.maxIterations, weights, signal: o.signal });
    ({ labels, k, centers } = fit);
    extra.inertia = fit.inertia;
    if (fit.curve) extra.curve = fit.curve;
  } else if (o.method === 'gmm') {
    const fit = fitGmmDense(x, { k: o.k, covariance: o.covariance, seed: o.seed, maxIterations: o.maxIterations, weights, signal: o.signal });
    ({ labels, k, centers } = fit);
    extra.bic = fit.bic;
    extra.aic = fit.aic;
    if (fit.curve) extra.curve = fit.curve;
  } else {
    // Weighted, sizes count samples (hits) and the density comes from the nearest unit with hits.
    const minClusterSize = o.minClusterSize ?? (weights === undefined ? Math.max(5, Math.floor(u / 20)) : defaultMinClusterSize(weights.reduce((acc, h) => acc + h, 0)));
    const minSamples = o.minSamples ?? (weights === undefined ? undefined : Math.min(2, minClusterSize));
    const fit = fitHdbscanDense(x, { minClusterSize, minSamples, weights, signal: o.signal });
    ({ labels, k } = fit);
    const ids = Array.from({ length: k }, (_, i) => i);
    const { centroids } = clusterCentroids(x.data, x.n, x.d, labels, ids);
    centers = ids.map((i) => Array.from(centroids.subarray(i * x.d, (i + 1) * x.d)));
    const notes: string[] = [];
    if (k === 0) notes.push(`HDBSCAN found no cluster (minClusterSize=${minClusterSize}, minSamples=${fit.minSamples}); every unit is labelled noise (−1). Lower minClusterSize or use method 'kmeans'.`);
    if (o.k !== undefined) notes.push(`k=${o.k} is not used by hdbscan; its number of clusters follows from minClusterSize.`);
    if (notes.length > 0) extra.warning = notes.join(' ');
  }
  checkAbort(o.signal, 'Clustering');
  if (o.method !== 'hdbscan') {
    // Coinciding units can leave a k-means/GMM cluster empty: renumber the used ones 0..m−1.
    const used = compactLabels(labels);
    if (used.length < k) {
      centers = used.map((c) => centers[c]!);
      extra.warning = `Only ${used.length} of the ${k} ${o.method === 'kmeans' ? 'clusters' : 'components'} received units (some units coincide); labels were renumbered 0..${used.length - 1}.`;
      k = used.length;
    }
  }
  let nNoise = 0;
  for (const l of labels) if (l < 0) nNoise++;
  const metrics = {
    silhouette: silhouetteDense(x.data, x.n, x.d, labels),
    daviesBouldin: daviesBouldinDense(x.data, x.n, x.d, labels),
    calinskiHarabasz: calinskiHarabaszDense(x.data, x.n, x.d, labels),
    topologicalCoherence: topologicalCoherenceChecked(codebook, labels),
    noiseRatio: nNoise / u,
    nNoise,
  };
  return { labels, k, ...base, centers, metrics, ...extra };
}

/** Renumbers labels to 0..m−1 in ascending order of the old ids; returns the old ids in use. */
function compactLabels(labels: Int32Array): number[] {
  const used = [...new Set(labels)].filter((l) => l >= 0).sort((a, b) => a - b);
  if (used.length === 0 || used[used.length - 1] === used.length - 1) return used;
  const map = new Map(used.map((id, i) => [id, i]));
  for (let i = 0; i < labels.length; i++) if (labels[i]! >= 0) labels[i] = map.get(labels[i]!)!;
  return used;
}
