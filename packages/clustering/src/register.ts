/**
 * Side-effect entry: registers the clustering plugins under `'kmeans'`, `'gmm'` and `'hdbscan'`.
 *
 * ```ts
 * import '@somkit/clustering/register';
 * registry.resolve('clustering', { name: 'kmeans', options: { k: 4 } });
 * ```
 */
import { registry } from '@somkit/plugin-api';
import { clusteringPlugins } from './clusteringPlugins.js';

const source = '@somkit/clustering';

for (const [name, factory] of Object.entries(clusteringPlugins)) registry.register('clustering', name, factory, { source });
