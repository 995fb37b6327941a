import type { ClusteringPlugin } from '@somkit/plugin-api';
import type { ClusterSpace } from './ClusterOptions.js';
import type { CovarianceOption } from './fitGmm.js';
import { makeClusteringPlugin } from './makeClusteringPlugin.js';

/** JSON options of the {@link gmm} plugin (see {@link ClusterOptions}). */
export interface GmmPluginOptions {
  k?: number;
  space?: ClusterSpace;
  seed?: number;
  covariance?: CovarianceOption;
  maxIterations?: number;
}

/**
 * The Gaussian-mixture clustering plugin (registry name `'gmm'`): `cluster(codebook)` → 0-based
 * labels (most probable component).
 *
 * ```ts
 * const labels = await gmm({ covariance: 'diag' }).cluster(som.getCodebook()); // k by BIC
 * ```
 * @throws SomError ERR_INVALID_CONFIG for unknown or invalid options
 */
export function gmm(options?: GmmPluginOptions): ClusteringPlugin<GmmPluginOptions | undefined> {
  return makeClusteringPlugin('gmm', ['k', 'space', 'seed', 'covariance', 'maxIterations'], options);
}
