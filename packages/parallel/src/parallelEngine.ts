import { availableParallelism } from 'node:os';
import { defineEngine, SomError, type Engine, type EngineContext } from '@somkit/plugin-api';
import { parallelSession, type ParallelSession } from './parallelSession.js';

/** Options of {@link parallelEngine} (JSON). */
export interface ParallelEngineOptions {
  /** Worker threads per session. Default: the number of cores (`os.availableParallelism()`). */
  threads?: number;
  /** tfjs backend inside each worker. Default 'wasm'. */
  workerBackend?: 'wasm' | 'cpu';
  /**
   * `supports()` refuses maps where one distance row costs less than this many multiply-adds
   * (units·dims), because thread hand-offs would cost more than they save. Default 16,384.
   */
  minWork?: number;
}

/** The parallel engine: an {@link Engine} whose sessions are {@link ParallelSession}s. */
export interface ParallelEngine extends Engine<ParallelEngineOptions | undefined> {
  open(ctx: EngineContext): ParallelSession;
}

const METRICS: ReadonlySet<string> = new Set(['euclidean', 'sqeuclidean']);
const KEYS = ['threads', 'workerBackend', 'minWork'];

function check(options: ParallelEngineOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SomError('ERR_INVALID_CONFIG', `parallelEngine: expected an options object or nothing, received ${JSON.stringify(options)}. Pass e.g. { threads: 4 }.`);
  }
  for (const key of Object.keys(options)) {
    if (!KEYS.includes(key)) throw new SomError('ERR_INVALID_CONFIG', `parallelEngine: unknown option '${key}'; expected one of ${KEYS.join(', ')}. Check the spelling.`, { details: { field: key } });
  }
  const { threads, workerBackend, minWork } = options;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new SomError('ERR_INVALID_CONFIG', `parallelEngine: expected threads to be an integer ≥ 1, received ${JSON.stringify(threads)}. Leave it out to use every core.`, { details: { field: 'threads' } });
  }
  if (workerBackend !== undefined && workerBackend !== 'wasm' && workerBackend !== 'cpu') {
    throw new SomError('ERR_INVALID_CONFIG', `parallelEngine: expected workerBackend 'wasm' or 'cpu', received ${JSON.stringify(workerBackend)}. Leave it out for 'wasm'.`, { details: { field: 'workerBackend' } });
  }
  if (minWork !== undefined && !(typeof minWork === 'number' && Number.isFinite(minWork) && minWork >= 0)) {
    throw new SomError('ERR_INVALID_CONFIG', `parallelEngine: expected minWork to be a finite number ≥ 0 (units·dims below which supports() refuses), received ${JSON.stringify(minWork)}. Leave it out for 16384, or pass 0 to accept any map.`, { details: { field: 'minWork' } });
  }
}

/**
 * A Node engine that uses every core, registry name `'parallel'`. Its sessions implement three
 * kernels on a pool of `worker_threads`, each running its own tfjs wasm backend:
 *
 * - `bmu` — the samples split by rows across the workers; a row's result does not depend on the
 *   split, so it is the same for any thread count.
 * - `neuronSums` — the same row split; each worker returns its rows' per-neuron sums [u, d + 1]
 *   (float64, row order), and the parts are added in a fixed order, so the result has the same
 *   bits for the same input and thread count (and equals one thread's within float rounding).
 * - `neighborhoodProduct` — blocks of G's rows across the workers, each gathering its rows from
 *   the kernel table; the same for any thread count.
 *
 * `minibatchSteps` is not implemented: core runs its tfjs reference (a minibatch step is too small
 * to pay for thread hand-offs). Euclidean and sqeuclidean only. Priority −10: `engine: 'auto'`
 * never prefers it over the tfjs reference (0) — measured slower on 2 cores (see bench/README.md);
 * force it with `engine: parallelEngine()` or `engine: 'parallel'`. A session starts its threads on
 * the first kernel call and stops them on `close()` (core closes the sessions it opens).
 *
 * ```ts
 * const som = new SOM({ rows: 32, cols: 32, dims: 64, rule: 'batch-map', engine: parallelEngine({ threads: 4 }) });
 * await som.fit(data);
 * som.dispose(); // closes the session: the threads stop
 * ```
 * @throws SomError `ERR_INVALID_CONFIG` for invalid options
 */
export const parallelEngine: (options?: ParallelEngineOptions) => ParallelEngine = defineEngine<ParallelEngineOptions | undefined>('parallel', (options) => {
  check(options);
  const threads = options?.threads ?? Math.max(1, availableParallelism());
  const workerBackend = options?.workerBackend ?? 'wasm';
  const minWork = options?.minWork ?? 16_384;
  return {
    priority: -10,
    supports(ctx: EngineContext): true | string {
      if (!METRICS.has(ctx.distance.name)) return `the parallel engine computes euclidean/sqeuclidean only, not '${ctx.distance.name}'`;
      if (ctx.backend !== 'wasm' && ctx.backend !== 'cpu') return `the parallel engine works on arrays read back from tensors; on '${ctx.backend}' that would stall the device`;
      if (threads < 2) return 'only one core is available (threads = 1)';
      if (ctx.units * ctx.dims < minWork) return `map too small (units·dims = ${ctx.units * ctx.dims} < minWork = ${minWork}): thread hand-offs would cost more than they save`;
      return true;
    },
    open(ctx: EngineContext): ParallelSession {
      if (!METRICS.has(ctx.distance.name)) {
        throw new SomError('ERR_BACKEND_UNSUPPORTED', `parallelEngine: expected the euclidean or sqeuclidean distance, received '${ctx.distance.name}'. Use engine: 'auto' or 'tfjs' for this distance.`);
      }
      return parallelSession({ threads, workerBackend, metric: ctx.distance.name });
    },
  };
}) as (options?: ParallelEngineOptions) => ParallelEngine;
