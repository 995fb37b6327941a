/**
 * How far {@link collectSamples} reaches (TorchSOM's `retrieval_mode`):
 * - `'bmu_only'`: the samples of the query's BMU cell;
 * - `'bmu_neighborhood'`: plus the cells of grid rings 1..neighborhoodOrder;
 * - `'bmu_neighborhood_knn'`: plus, while the buffer holds ≤ minBufferThreshold samples, whole
 *   non-empty cells in order of codebook distance to the BMU's codebook vector.
 */
export type RetrievalMode = 'bmu_only' | 'bmu_neighborhood' | 'bmu_neighborhood_knn';

/** Every retrieval mode (TorchSOM's names, verbatim). */
export const RETRIEVAL_MODES: readonly RetrievalMode[] = ['bmu_only', 'bmu_neighborhood', 'bmu_neighborhood_knn'];
