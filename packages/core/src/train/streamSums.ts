import { SomError, type AbortSignalLike, type EngineRef } from '@somkit/plugin-api';
import type { MatrixInput } from '../toMatrix.js';
import { SumsAccumulator, type NeuronSums } from './NeuronSums.js';

/** What {@link streamSums} needs of the model. */
export interface SumsOfChunks {
  readonly isInitialized: boolean;
  initialize(chunk: MatrixInput): Promise<void>;
  accumulate(chunk: MatrixInput, options: { engine?: EngineRef }): Promise<NeuronSums>;
}

/**
 * A source of per-neuron sums (`fitSums`) over data that arrive in chunks: each epoch re-opens
 * `source` and adds every chunk's sums into one float64 accumulator, so memory holds one chunk
 * plus [u, d + 1] sums however many chunks there are. The codebook is initialised from the first
 * chunk if needed.
 * @throws SomError ERR_ABORTED when `signal` aborts between chunks, ERR_EMPTY_INPUT for an epoch without chunks
 */
export function streamSums(model: SumsOfChunks, source: () => AsyncIterable<MatrixInput> | Iterable<MatrixInput>, options: { engine?: EngineRef; signal?: AbortSignalLike }): (epoch: number) => Promise<NeuronSums> {
  return async (e) => {
    const total = new SumsAccumulator();
    for await (const chunk of source()) {
      if (options.signal?.aborted === true) {
        throw new SomError('ERR_ABORTED', `Training was aborted in epoch ${e}; the codebook keeps its last update.`, { cause: options.signal.reason });
      }
      if (!model.isInitialized) await model.initialize(chunk);
      total.add(await model.accumulate(chunk, options));
    }
    if (total.empty) throw new SomError('ERR_EMPTY_INPUT', `fitStream: the source yielded no chunks in epoch ${e}.`);
    return total.result();
  };
}
