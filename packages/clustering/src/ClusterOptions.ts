import type { AbortSignalLike } from '@somkit/plugin-api';
import type { CovarianceOption } from './fitGmm.js';

/** Clustering algorithms of {@link cluster}. */
export type ClusterMethod = 'kmeans' | 'gmm' | 'hdbscan';

/**
 * What the units are clustered on: their codebook vectors (`'weights'`, [u, d]), their grid
 * plane coordinates (`'positions'`, [u, 2], hexagonal offsets included), or both concatenated
 * (`'combined'`, [u, d + 2], unscaled, as TorchSOM does: scale your features if the two ranges
 * differ much).
 */
export type ClusterSpace = 'weights' | 'positions' | 'combined';

/** Every method name, for validation and messages. */
export const CLUSTER_METHODS: readonly ClusterMethod[] = ['kmeans', 'gmm', 'hdbscan'];
/** Every feature space name. */
export const CLUSTER_SPACES: readonly ClusterSpace[] = ['weights', 'positions', 'combined'];

/** Options of {@link cluster}. Options that do not apply to the chosen method are ignored. */
export interface ClusterOptions {
  /** Default 'kmeans'. */
  method?: ClusterMethod;
  /**
   * Number of clusters for kmeans/gmm, 1 ≤ k ≤ units. Omit for automatic selection (k-means:
   * elbow over k = 2..min(10, max(2, ⌊√u⌋)); GMM: BIC minimum over k = 1..same). Not used by
   * hdbscan (noted in `warning`).
   */
  k?: number | undefined;
  /** Default 'weights'. */
  space?: ClusterSpace | undefined;
  /** Seed of k-means++ seeding / GMM initialisation. Default 42. */
  seed?: number | undefined;
  /** k-means restarts (best inertia kept). Default 10. */
  nInit?: number | undefined;
  /** Iteration cap: Lloyd iterations per k-means restart (default 300) or EM iterations (default 100). */
  maxIterations?: number | undefined;
  /**
   * GMM covariance structure. Default `'auto'`: `'full'` when each component has more units than
   * the parameters of a full covariance, else `'diag'` (`chooseCovariance`; a full covariance on a
   * wide codebook is singular and EM stays at its k-means start).
   */
  covariance?: CovarianceOption | undefined;
  /**
   * HDBSCAN smallest cluster: units, or samples (Σ hits) with `weights`. Without `weights`,
   * explicit values behave exactly as R's `dbscan::hdbscan(minPts)`, and the default is
   * max(5, ⌊u/20⌋) (TorchSOM). With `weights` the default is 2 % of the samples
   * (`defaultMinClusterSize`, measured).
   */
  minClusterSize?: number | undefined;
  /** HDBSCAN core-point neighbours in units (itself included). Default minClusterSize; 2 with `weights`. */
  minSamples?: number | undefined;
  /**
   * [u] weight of each unit, normally its hit count on the training data (`hitCounts`): then
   * k-means uses weighted centroids, inertia and k-means++ seeding, the GMM weighted EM, and
   * HDBSCAN leaves out the units without hits (labelled −1). Units that interpolate between
   * groups carry few or no hits, so weighting keeps them from pulling clusters apart. Finite,
   * non-negative, at least one positive. Omit to cluster every unit alike (TorchSOM).
   */
  weights?: ArrayLike<number> | undefined;
  /** Checked between steps; an aborted run rejects with ERR_ABORTED. */
  signal?: AbortSignalLike | undefined;
}
