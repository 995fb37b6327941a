import type { ClusteringPlugin } from '@somkit/plugin-api';
import type { ClusterSpace } from './ClusterOptions.js';
import { makeClusteringPlugin } from './makeClusteringPlugin.js';

/** JSON options of the {@link kmeans} plugin (see {@link ClusterOptions}). */
export interface KMeansPluginOptions {
  k?: number;
  space?: ClusterSpace;
  seed?: number;
  nInit?: number;
  maxIterations?: number;
}

/**
 * The k-means clustering plugin (registry name `'kmeans'`): `cluster(codebook)` → 0-based labels.
 *
 * ```ts
 * const labels = await kmeans({ k: 4 }).cluster(som.getCodebook());
 * ```
 * @throws SomError ERR_INVALID_CONFIG for unknown or invalid options
 */
export function kmeans(options?: KMeansPluginOptions): ClusteringPlugin<KMeansPluginOptions | undefined> {
  return makeClusteringPlugin('kmeans', ['k', 'space', 'seed', 'nInit', 'maxIterations'], options);
}
