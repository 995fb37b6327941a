import { SomError } from '@somkit/plugin-api';
import type { CollectSamplesOptions } from './CollectSamplesOptions.js';
import type { HistoricalOutputs } from './HistoricalData.js';
import { collectSamples, type QuerySample } from './collectSamples.js';
import { fitLocalModel } from './fitLocalModel.js';

/** Options of {@link jitlPredict}: those of {@link collectSamples} with outputs required, plus the ridge. */
export interface JitlPredictOptions extends CollectSamplesOptions {
  outputs: HistoricalOutputs;
  /** Ridge penalty of the local model. Default 1e-6. */
  ridge?: number | undefined;
}

/** A JITL prediction for one query. */
export interface JitlPrediction {
  /** [q] predicted outputs; NaN when no sample was retrieved. */
  readonly prediction: number[];
  /** Samples the local model was fitted on (the buffer size m). */
  readonly m: number;
  /** [m] indices of those samples in the historical data. */
  readonly indices: Int32Array;
}

/**
 * The TorchSOM JITL workflow in one call: retrieve the historical samples near the query
 * ({@link collectSamples}), fit a ridge linear model on them ({@link fitLocalModel}) and predict
 * the query's outputs. Batches share one BMU search.
 *
 * ```ts
 * const index = await buildIndex(som, hist);
 * const { prediction, m } = await jitlPredict(x, { som, index, data: hist, outputs: y });
 * ```
 * @param query - one sample [d], or a batch [b][d]
 * @throws SomError as {@link collectSamples}; ERR_INVALID_INPUT without outputs
 */
export function jitlPredict(query: QuerySample, options: JitlPredictOptions): Promise<JitlPrediction>;
export function jitlPredict(query: readonly QuerySample[], options: JitlPredictOptions): Promise<JitlPrediction[]>;
export async function jitlPredict(query: QuerySample | readonly QuerySample[], options: JitlPredictOptions): Promise<JitlPrediction | JitlPrediction[]> {
  if (options?.outputs === undefined) {
    throw new SomError('ERR_INVALID_INPUT', 'jitlPredict: outputs are required (the historical targets the local models are fitted on).');
  }
  const single = typeof query === 'object' && query !== null && typeof (query as ArrayLike<unknown>)[0] === 'number';
  const batch = (single ? [query] : query) as readonly QuerySample[];
  const { ridge, ...collect } = options;
  const buffers = await collectSamples(batch, { ...collect, returnIndices: true });
  const out = buffers.map((buf, i): JitlPrediction => {
    const m = buf.samples.shape[0];
    const q = buf.outputs!.shape[1];
    if (m === 0) return { prediction: new Array<number>(q).fill(Number.NaN), m, indices: buf.indices! };
    const model = fitLocalModel(buf.samples, buf.outputs!, { ridge });
    return { prediction: model.predict(batch[i]!), m, indices: buf.indices! };
  });
  return single ? out[0]! : out;
}
