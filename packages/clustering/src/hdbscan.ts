import type { ClusteringPlugin } from '@somkit/plugin-api';
import type { ClusterSpace } from './ClusterOptions.js';
import { makeClusteringPlugin } from './makeClusteringPlugin.js';

/** JSON options of the {@link hdbscan} plugin (see {@link ClusterOptions}). */
export interface HdbscanPluginOptions {
  space?: ClusterSpace;
  minClusterSize?: number;
  minSamples?: number;
}

/**
 * The HDBSCAN clustering plugin (registry name `'hdbscan'`): `cluster(codebook)` → 0-based
 * labels, −1 for noise units (all −1 when no cluster is found).
 *
 * ```ts
 * const labels = await hdbscan({ minClusterSize: 8 }).cluster(som.getCodebook());
 * ```
 * @throws SomError ERR_INVALID_CONFIG for unknown or invalid options
 */
export function hdbscan(options?: HdbscanPluginOptions): ClusteringPlugin<HdbscanPluginOptions | undefined> {
  return makeClusteringPlugin('hdbscan', ['space', 'minClusterSize', 'minSamples'], options);
}
