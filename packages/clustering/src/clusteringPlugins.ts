import { kmeans } from './kmeans.js';
import { gmm } from './gmm.js';
import { hdbscan } from './hdbscan.js';

/**
 * The first-party clustering plugin factories by registry name.
 *
 * ```ts
 * const plugin = clusteringPlugins.hdbscan({ minClusterSize: 8 });
 * ```
 */
export const clusteringPlugins = Object.freeze({ kmeans, gmm, hdbscan });
