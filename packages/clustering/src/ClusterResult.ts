import type { ClusterMethod, ClusterSpace } from './ClusterOptions.js';
import type { KCurve } from './KCurve.js';

/** Quality of a clustering of units. Noise units are left out of every score. */
export interface ClusterMetrics {
  /** Mean silhouette in the clustering space; NaN with fewer than 2 clusters. */
  silhouette: number;
  /** Davies–Bouldin index (lower is better); NaN with fewer than 2 clusters. */
  daviesBouldin: number;
  /** Calinski–Harabasz index (higher is better); NaN with fewer than 2 clusters. */
  calinskiHarabasz: number;
  /** Grid compactness of the clusters in (0, 1] (TorchSOM topological_quality); 1 with < 2 clusters. */
  topologicalCoherence: number;
  /** Fraction of units labelled noise (−1). */
  noiseRatio: number;
  /** Units labelled noise. */
  nNoise: number;
}

/** What {@link cluster} returns. */
export interface ClusterResult {
  /**
   * [u] cluster of each unit (row-major, u = row·cols + col). **0-based** (TorchSOM's labels are
   * 1-based: add 1 to compare); −1 = noise (HDBSCAN only).
   */
  labels: Int32Array;
  /** Number of clusters (noise not counted); 0 when HDBSCAN found none. */
  k: number;
  method: ClusterMethod;
  space: ClusterSpace;
  /** [k][f] cluster centres in the clustering space: centroids, GMM means, or HDBSCAN member means. */
  centers: number[][];
  metrics: ClusterMetrics;
  /** The model-selection curve when k was chosen automatically (kmeans, gmm). */
  curve?: KCurve;
  /** k-means sum of squared distances to the centroids. */
  inertia?: number;
  /** GMM Bayesian information criterion. */
  bic?: number;
  /** GMM Akaike information criterion. */
  aic?: number;
  /** Something the caller should know, e.g. HDBSCAN found no cluster and every unit is noise. */
  warning?: string;
}
