import { isSomError, SomError } from '@somkit/plugin-api';
import type { CollectSamplesOptions } from './CollectSamplesOptions.js';
import type { HistoricalOutputs } from './HistoricalData.js';
import { collectSamples, type QuerySample } from './collectSamples.js';
import { fitLocalModel } from './fitLocalModel.js';

/** Options of {@link jitlPredict}: those of {@link collectSamples} with outputs required, plus the ridge. */
export interface JitlPredictOptions extends CollectSamplesOptions {
  outputs: HistoricalOutputs;
  /** Ridge penalty of the local model. Default 1e-6. */
  ridge?: number | undefined;
  /**
   * Fewest retrieved samples a local linear model is fitted on. Default `2·(d + 1)`: twice the
   * model's parameters (d coefficients and an intercept). With fewer, the least-squares fit
   * interpolates noise and extrapolates far outside the retrieved outputs, so the prediction is
   * the mean of the retrieved outputs instead (`model: 'mean'`, with the `reason`). An integer ≥ 1.
   */
  minSamples?: number | undefined;
}

/** A JITL prediction for one query. */
export interface JitlPrediction {
  /** [q] predicted outputs; NaN when no sample was retrieved. */
  readonly prediction: number[];
  /** Samples the local model was fitted on (the buffer size m). */
  readonly m: number;
  /** [m] indices of those samples in the historical data. */
  readonly indices: Int32Array;
  /**
   * What made the prediction: `'linear'` the local ridge model; `'mean'` the mean of the retrieved
   * outputs, the fallback when the buffer is too small for the features (m < minSamples) or the
   * system is singular; `'none'` no sample retrieved (NaN).
   */
  readonly model: 'linear' | 'mean' | 'none';
  /** Why the local model fell back to the mean (absent for `'linear'`). */
  readonly reason?: string;
}

/**
 * The TorchSOM JITL workflow in one call: retrieve the historical samples near the query
 * ({@link collectSamples}), fit a ridge linear model on them ({@link fitLocalModel}) and predict
 * the query's outputs. Batches share one BMU search. A buffer too small for a linear model on the
 * SOM's features (fewer than `minSamples`, default 2·(d + 1)) or a singular one falls back to the
 * mean of the retrieved outputs, and says so in `model` and `reason`.
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
  const { ridge, minSamples: minOption, ...collect } = options;
  const minSamples = minOption ?? 2 * (options.som.dims + 1);
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new SomError('ERR_INVALID_CONFIG', `minSamples: expected an integer ≥ 1, got ${String(minSamples)}.`);
  }
  const buffers = await collectSamples(batch, { ...collect, returnIndices: true });
  const out = buffers.map((buf, i): JitlPrediction => {
    const m = buf.samples.shape[0];
    const q = buf.outputs!.shape[1];
    const indices = buf.indices!;
    if (m === 0) return { prediction: new Array<number>(q).fill(Number.NaN), m, indices, model: 'none', reason: 'no historical sample was retrieved' };
    const mean = (reason: string): JitlPrediction => ({ prediction: outputMean(buf.outputs!.data, m, q), m, indices, model: 'mean', reason });
    if (m < minSamples) return mean(`${m} retrieved samples, fewer than minSamples ${minSamples} for a linear model on ${options.som.dims} features`);
    try {
      const model = fitLocalModel(buf.samples, buf.outputs!, { ridge });
      return { prediction: model.predict(batch[i]!), m, indices, model: 'linear' };
    } catch (e) {
      if (isSomError(e) && e.code === 'ERR_INVALID_INPUT') return mean('the normal equations are singular');
      throw e;
    }
  });
  return single ? out[0]! : out;
}

/** Column means of a row-major [m, q] matrix. */
function outputMean(data: Float32Array, m: number, q: number): number[] {
  const s = new Array<number>(q).fill(0);
  for (let i = 0; i < m; i++) for (let c = 0; c < q; c++) s[c]! += data[i * q + c]!;
  return s.map((v) => v / m);
}
