import type { SOM } from '@somkit/core';
import type { JitlIndex } from './JitlIndex.js';
import type { HistoricalData, HistoricalOutputs } from './HistoricalData.js';
import type { RetrievalMode } from './RetrievalMode.js';

/** Options of {@link collectSamples}: the SOM, its index, the historical data and the retrieval rule. */
export interface CollectSamplesOptions {
  /** The trained SOM the index was built for. */
  som: SOM;
  /** From {@link buildIndex}(som, data). */
  index: JitlIndex;
  /** The historical samples [n, d] the index refers to. */
  data: HistoricalData;
  /** Historical outputs: [n] or [n, q]. */
  outputs?: HistoricalOutputs | undefined;
  /** Default 'bmu_neighborhood_knn'. */
  mode?: RetrievalMode | undefined;
  /** knn mode keeps adding cells while the buffer holds ≤ this many samples. Default 50. */
  minBufferThreshold?: number | undefined;
  /** Grid rings around the BMU (≥ 0). Default `som.config.neighborhoodOrder`. */
  neighborhoodOrder?: number | undefined;
  /** Also return the indices of the retrieved samples. Default false. */
  returnIndices?: boolean | undefined;
}
