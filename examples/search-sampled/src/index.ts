export { sampledPivots, type SampledPivotsOptions } from './sampledPivots.js';
export { laesaKnn, samplePivots, type KnnResult } from './laesa.js';
export { METRICS, type RowMetric } from './metrics.js';
