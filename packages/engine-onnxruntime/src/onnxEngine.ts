import { defineEngine, SomError, type Engine, type EngineContext, type EngineKernels, type EngineSession } from '@somkit/plugin-api';
import { bmuGraph } from './bmuGraph.js';
import { EngineState } from './EngineState.js';
import { minibatchGivenStepGraph, minibatchStepsGraph } from './minibatchStepsGraph.js';
import { neighborhoodProductGraph } from './neighborhoodProductGraph.js';
import { defaultThreads, loadOrt, providersUsable, session, type SessionSettings } from './ortRuntime.js';
import { runBmu } from './runBmu.js';
import { runMinibatchSteps } from './runMinibatchSteps.js';
import { runNeighborhoodProduct } from './runNeighborhoodProduct.js';
import { runNeuronSums } from './runNeuronSums.js';
import { sumsGraph } from './sumsGraph.js';

/** Options of {@link onnxEngine} (JSON). */
export interface OnnxEngineOptions {
  /**
   * ONNX Runtime execution providers, in preference order: `['cpu']` (default) or `['cuda']`
   * (needs the CUDA provider libraries, which onnxruntime-node's install script downloads; when
   * they are missing, `supports()` refuses with that reason).
   */
  readonly executionProviders?: readonly string[];
  /** Threads inside each operator. Default: `os.availableParallelism()`. */
  readonly intraOpNumThreads?: number;
  /**
   * Whether ORT's idle intra-op threads spin-wait for the next operator (ORT's own default) or
   * sleep. Default `false`: between engine calls the training loop runs tfjs code on the main
   * thread, and spinning workers would take cores from it (and from other processes).
   */
  readonly spinning?: boolean;
  /**
   * Upper bound on the elements of one [rows, u] score block: the search (`bmu`, `neuronSums`)
   * runs `max(1, ⌊maxBlockElements / u⌋)` samples per ORT call, so memory stays bounded for any n.
   * Default 1 048 576 (4 MiB of float32) but at least 256 samples per call (256·u floats: 41 MB at
   * 40 000 units): in interleaved A/B runs 4 MiB blocks searched 5–30 % faster than 16 MiB ones at
   * 400 units, while at 40 000 units the 26-row chunks of a 4 MiB bound made the batch-map pass
   * ~1.4× slower than 256-row ones.
   */
  readonly maxBlockElements?: number;
}

/** The onnxruntime engine: an {@link Engine} plus {@link OnnxEngine.ready}. */
export interface OnnxEngine extends Engine<OnnxEngineOptions | undefined> {
  /**
   * Creates (or reuses) the engine's ORT sessions now. Resolves `true`, or why they cannot be
   * created (e.g. CUDA libraries present but no driver); after a failure `supports()` refuses
   * with the same reason. Optional: the first kernel call creates the sessions it needs anyway.
   */
  ready(): Promise<true | string>;
}

/** Distances the graphs compute. */
const DISTANCES: ReadonlySet<string> = new Set(['euclidean', 'sqeuclidean']);
/** tfjs backends whose tensors live in CPU memory, so core's host copies are cheap. */
const BACKENDS: ReadonlySet<string> = new Set(['cpu', 'wasm']);
/**
 * Default `maxBlockElements` of the ONNX engine: bound on the elements of one [rows, u] score
 * block (4 MiB of float32). Not the tfjs search's bound (`DEFAULT_MAX_BLOCK_ELEMENTS` of
 * `@somkit/search`, 4× larger): ONNX Runtime allocates its own copies per run.
 */
export const DEFAULT_ONNX_BLOCK_ELEMENTS = 1_048_576;

function check(options: OnnxEngineOptions | undefined): void {
  const bad = (what: string, got: unknown): never => {
    throw new SomError('ERR_INVALID_CONFIG', `onnxEngine: ${what}, got ${JSON.stringify(got)}.`);
  };
  const eps = options?.executionProviders;
  if (eps !== undefined && (!Array.isArray(eps) || eps.length === 0 || !eps.every((e) => typeof e === 'string' && e.length > 0))) {
    bad("executionProviders must be a non-empty array of provider names such as ['cpu'] or ['cuda']", eps);
  }
  const t = options?.intraOpNumThreads;
  if (t !== undefined && !(Number.isInteger(t) && t >= 1)) bad('intraOpNumThreads must be an integer ≥ 1', t);
  const sp = options?.spinning;
  if (sp !== undefined && typeof sp !== 'boolean') bad('spinning must be a boolean', sp);
  const m = options?.maxBlockElements;
  if (m !== undefined && !(Number.isInteger(m) && m >= 1)) bad('maxBlockElements must be an integer ≥ 1', m);
}

/**
 * An engine on ONNX Runtime (onnxruntime-node): the four training kernels — `bmu` (one Gemm +
 * TopK per chunk of samples), `neuronSums` (search + per-neuron sums), `minibatchSteps` (several
 * whole steps in one ONNX `Loop`, kernel rows gathered from core's O(u) neighbourhood table) and
 * `neighborhoodProduct` (G·m by row blocks gathered from the table) — run as ONNX graphs on all
 * cores, over the plain arrays core hands over. Node-only. Results are bit-identical run to run
 * for a given thread count.
 *
 * `supports(ctx)` is true for the `euclidean` and `sqeuclidean` distances on the tfjs `cpu` and
 * `wasm` backends when onnxruntime-node loads; otherwise it returns the reason. Priority 100, so
 * `engine: 'auto'` prefers it once `@somkit/engine-onnxruntime/register` is imported.
 *
 * ```ts
 * import { onnxEngine } from '@somkit/engine-onnxruntime';
 * const som = new SOM({ rows: 32, cols: 32, dims: 64 });
 * await som.fit(data, { engine: onnxEngine() });
 * ```
 */
export const onnxEngine: (options?: OnnxEngineOptions) => OnnxEngine = defineEngine<OnnxEngineOptions | undefined>('onnxruntime', (options) => {
  check(options);
  const settings: SessionSettings = {
    executionProviders: options?.executionProviders ?? ['cpu'],
    intraOpNumThreads: options?.intraOpNumThreads ?? defaultThreads(),
    spinning: options?.spinning ?? false,
  };
  const maxBlock = options?.maxBlockElements ?? DEFAULT_ONNX_BLOCK_ELEMENTS;

  const supports = (ctx: EngineContext): true | string => {
    if (!DISTANCES.has(ctx.distance.name)) {
      return `the onnxruntime engine computes only the euclidean and sqeuclidean distances, not '${ctx.distance.name}'`;
    }
    if (!BACKENDS.has(ctx.backend)) {
      return `the onnxruntime engine works with the tfjs cpu or wasm backends (tensors in CPU memory); on '${ctx.backend}' it would copy samples and codebook off the device every batch`;
    }
    return providersUsable(settings.executionProviders);
  };

  return {
    priority: 100,
    supports,

    open(ctx: EngineContext): EngineSession {
      const why = supports(ctx);
      const ort = loadOrt();
      if (why !== true || typeof ort === 'string') {
        throw new SomError('ERR_BACKEND_UNSUPPORTED', `Engine 'onnxruntime' cannot run here: ${why === true ? ort : why}. Use engine: 'auto' or 'tfjs'.`);
      }
      const state = new EngineState(ort, settings, maxBlock, ctx, options?.maxBlockElements === undefined ? 256 : 1);
      return {
        kernels: Object.freeze<EngineKernels>({
          bmu: (job) => runBmu(state, job),
          neuronSums: (job) => runNeuronSums(state, job),
          minibatchSteps: (job) => runMinibatchSteps(state, job),
          neighborhoodProduct: (job) => runNeighborhoodProduct(state, job),
        }),
        // Missing values: masked search, batch-map sums and minibatch step graphs.
        maskedKernels: Object.freeze(['bmu', 'neuronSums', 'minibatchSteps'] as const),
        close: () => state.close(),
      };
    },

    async ready(): Promise<true | string> {
      const ort = loadOrt();
      if (typeof ort === 'string') return ort;
      const graphs: Array<Promise<unknown>> = [session('neuron-sums', sumsGraph, { ...settings, intraOpNumThreads: 1 })];
      for (const sqrt of [true, false]) {
        const name = sqrt ? 'euclidean' : 'sqeuclidean';
        graphs.push(session(`bmu-${name}`, () => bmuGraph({ sqrt }), settings));
        for (const layout of ['windows', 'elements'] as const) {
          for (const transposed of [false, true]) {
            const form = `${layout}${transposed ? '-transposed' : ''}`;
            graphs.push(session(`minibatch-steps-${name}-${form}`, () => minibatchStepsGraph({ sqrt, layout, transposed }), settings));
            if (sqrt) graphs.push(session(`minibatch-given-${form}`, () => minibatchGivenStepGraph(layout, transposed), settings));
          }
        }
      }
      for (const layout of ['windows', 'elements'] as const) graphs.push(session(`neighborhood-product-${layout}`, () => neighborhoodProductGraph(layout), settings));
      for (const s of await Promise.all(graphs)) if (typeof s === 'string') return s;
      return true;
    },
  };
}) as (options?: OnnxEngineOptions) => OnnxEngine;
