import * as tf from '@tensorflow/tfjs-core';
import { defineSearch, SomError, type MinibatchStep, type MinibatchStepResult, type MinibatchSteps, type MinibatchStepsResult, type NeuronSumsJob, type NeuronSumsResult, type SearchBackend, type SearchContext, type SearchResult } from '@somkit/plugin-api';
import { bmuGraph, minibatchStepsGraph, productGraph, sumsGraph } from './graphs.js';
import { defaultThreads, loadOrt, providersUsable, session, type OrtModule, type OrtSession, type OrtTensor, type SessionSettings } from './ortRuntime.js';
import { bruteForce } from '@somkit/search';

/** Options of {@link onnxEngine} (JSON, so they round-trip through model files). */
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
   * Upper bound on the elements of one [rows, u] score block: the search runs
   * `max(1, ⌊maxBlockElements / u⌋)` samples per call, so memory stays bounded for any n.
   * Default 1 048 576 (4 MiB of float32): in interleaved A/B runs these searched 5–30 % faster than
   * 16 MiB ones on the test machine.
   */
  readonly maxBlockElements?: number;
}

/** The engine's search backend: a {@link SearchBackend} plus {@link OnnxEngine.ready}. */
export interface OnnxEngine extends SearchBackend<OnnxEngineOptions | undefined> {
  /**
   * Creates (or reuses) the engine's sessions now. Resolves `true`, or why they cannot be created
   * (e.g. CUDA libraries present but no driver); after a failure `supports()` refuses with the
   * same reason. Optional: the first search creates them anyway.
   */
  ready(): Promise<true | string>;
}

/** Distances the BMU graph computes. */
const DISTANCES: ReadonlySet<string> = new Set(['euclidean', 'sqeuclidean']);
/** tfjs backends whose tensors live in CPU memory, so `data()` is a cheap copy. */
const BACKENDS: ReadonlySet<string> = new Set(['cpu', 'wasm']);
/** Default bound on the elements of one score block (4 MiB of float32). */
export const DEFAULT_MAX_BLOCK_ELEMENTS = 1_048_576;

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

/** Float32 view of tfjs data (core's tensors are float32 already; anything else is converted). */
function f32(data: ArrayLike<number>): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

/**
 * A search backend on ONNX Runtime (onnxruntime-node): BMU search (one Gemm + TopK per chunk of
 * samples) and the update products core asks for (`H·X` for minibatch, `G·[S | m]` for batch-map)
 * run natively on all cores, while everything else stays on tfjs. Node-only.
 *
 * `supports(ctx)` is true for the `euclidean` and `sqeuclidean` distances on the tfjs `cpu` and
 * `wasm` backends when onnxruntime-node loads; otherwise it returns the reason. `searchAsync` and
 * `product` run ORT; the synchronous `search` (which ORT cannot offer) is an exact tfjs brute force.
 * Priority 100, so `search: 'auto'` prefers it once `@somkit/engine-onnxruntime/register` is imported.
 *
 * ```ts
 * import { onnxEngine } from '@somkit/engine-onnxruntime';
 * const som = new SOM({ rows: 32, cols: 32, dims: 64, search: onnxEngine() });
 * await som.fit(data);
 * ```
 */
export const onnxEngine: (options?: OnnxEngineOptions) => OnnxEngine = defineSearch<OnnxEngineOptions | undefined>('onnxruntime', (options) => {
  check(options);
  const settings: SessionSettings = {
    executionProviders: options?.executionProviders ?? ['cpu'],
    intraOpNumThreads: options?.intraOpNumThreads ?? defaultThreads(),
    spinning: options?.spinning ?? false,
  };
  const maxBlock = options?.maxBlockElements ?? DEFAULT_MAX_BLOCK_ELEMENTS;
  /** somkit's exact tfjs brute force, same block bound: the synchronous `search` (ORT runs only async). */
  const exact = bruteForce({ maxBlockElements: maxBlock });

  const bmuSession = (sqrt: boolean): Promise<OrtSession | string> =>
    session(sqrt ? 'bmu-euclidean' : 'bmu-sqeuclidean', () => bmuGraph({ sqrt }), settings);
  const productSession = (): Promise<OrtSession | string> => session('product', productGraph, settings);
  const stepsSession = (sqrt: boolean): Promise<OrtSession | string> =>
    session(sqrt ? 'steps-euclidean' : 'steps-sqeuclidean', () => minibatchStepsGraph({ sqrt }), settings);
  const sumsSession = (sqrt: boolean): Promise<OrtSession | string> =>
    session(sqrt ? 'sums-euclidean' : 'sums-sqeuclidean', () => sumsGraph({ sqrt }), settings);
  /** The last kernel table seen by the step hooks and its ORT tensor (one per epoch and batch size). */
  let lastKernel: { table: Float32Array; tensor: OrtTensor } | undefined;
  /** [b, 1] minus ones per batch size. */
  const negOnes = new Map<number, OrtTensor>();
  /** Rows 0 … b − 1 per batch size: minibatchStep is minibatchSteps over its own batch. */
  const iotas = new Map<number, Int32Array>();
  /** The int64 [1] `K` input per k, reused across calls. */
  const kInputs = new Map<number, ReturnType<typeof kTensor>>();
  const kTensor = (ort: OrtModule, k: number) => new ort.Tensor('int64', BigInt64Array.of(BigInt(k)), [1]);

  /** The runtime and a session, or a thrown ERR_BACKEND_UNSUPPORTED naming the reason. */
  const need = async (s: Promise<OrtSession | string>): Promise<{ ort: OrtModule; s: OrtSession }> => {
    const ort = loadOrt();
    const made = await s;
    const reason = typeof ort === 'string' ? ort : typeof made === 'string' ? made : undefined;
    if (reason !== undefined) {
      throw new SomError('ERR_BACKEND_UNSUPPORTED', `Search backend 'onnxruntime' cannot run here: ${reason}. Use search: 'auto' or 'brute-force'.`);
    }
    return { ort: ort as OrtModule, s: made as OrtSession };
  };

  /** Several minibatch steps in one run of the steps graph (both step hooks). */
  const runSteps = async (job: MinibatchSteps, ctx: SearchContext): Promise<MinibatchStepsResult> => {
    const { x, rows, weights, kernel, batch: b, steps, samples: n, units: u, dims: d, k } = job;
    if (x.length !== n * d || rows.length !== steps * b || !(steps >= 1) || weights.length !== u * d || kernel.length !== u * u || !(k >= 1 && k <= u)) {
      throw new SomError('ERR_SHAPE_MISMATCH', `onnxruntime minibatchSteps: expected x [${n}, ${d}], rows [${steps} × ${b}], weights [${u}, ${d}], kernel [${u}, ${u}], steps ≥ 1 and 1 ≤ k ≤ ${u}, got ${x.length}, ${rows.length}, ${weights.length} and ${kernel.length} values, steps = ${steps} and k = ${k}.`);
    }
    if (!DISTANCES.has(ctx.distance.name)) {
      throw new SomError('ERR_BACKEND_UNSUPPORTED', `onnxruntime minibatchSteps computes only the euclidean and sqeuclidean distances, not '${ctx.distance.name}'. Use search: 'brute-force' for this distance.`);
    }
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (!(r >= 0 && r < n)) throw new SomError('ERR_SHAPE_MISMATCH', `onnxruntime minibatchSteps: rows[${i}] is ${r}, expected a row index in [0, ${n}).`);
    }
    const { ort, s } = await need(stepsSession(ctx.distance.name !== 'sqeuclidean'));
    if (lastKernel?.table !== kernel) lastKernel = { table: kernel, tensor: new ort.Tensor('float32', kernel, [u, u]) };
    let neg = negOnes.get(b);
    if (neg === undefined) negOnes.set(b, (neg = new ort.Tensor('float32', new Float32Array(b).fill(-1), [b, 1])));
    let K = kInputs.get(k);
    if (K === undefined) kInputs.set(k, (K = kTensor(ort, k)));
    const out = await s.run({
      X: new ort.Tensor('float32', x, [n, d]),
      ROWS: new ort.Tensor('int32', rows, [steps, b]),
      W: new ort.Tensor('float32', weights, [u, d]),
      G: lastKernel.tensor,
      NEGONES: neg,
      K,
    });
    return { weights: out.W2!.data as Float32Array, indices: out.indices!.data as Int32Array, distances: out.distances!.data as Float32Array };
  };

  return {
    priority: 100,

    supports(ctx: SearchContext): true | string {
      if (!DISTANCES.has(ctx.distance.name)) {
        return `the onnxruntime engine computes only the euclidean and sqeuclidean distances, not '${ctx.distance.name}'`;
      }
      if (!BACKENDS.has(ctx.backend)) {
        return `the onnxruntime engine works with the tfjs cpu or wasm backends (tensors in CPU memory); on '${ctx.backend}' it would copy samples and codebook off the device every batch`;
      }
      return providersUsable(settings.executionProviders);
    },

    search(x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext): SearchResult {
      return exact.search(x, w, k, ctx);
    },

    async searchAsync(x: tf.Tensor2D, w: tf.Tensor2D, k: number, ctx: SearchContext): Promise<SearchResult> {
      const n = x.shape[0];
      const d = x.shape[1];
      const u = w.shape[0];
      if (n === 0) return { indices: tf.zeros([0, k], 'int32') as tf.Tensor2D, distances: tf.zeros([0, k], 'float32') as tf.Tensor2D };
      // Called directly with a distance the graph does not compute: stay exact, on tfjs.
      if (!DISTANCES.has(ctx.distance.name)) return exact.search(x, w, k, ctx);
      const { ort, s } = await need(bmuSession(ctx.distance.name !== 'sqeuclidean'));
      const [xd, wd] = await Promise.all([x.data(), w.data()]);
      const xs = f32(xd);
      const W = new ort.Tensor('float32', f32(wd), [u, d]);
      let K = kInputs.get(k);
      if (K === undefined) kInputs.set(k, (K = kTensor(ort, k)));
      const rows = Math.max(1, Math.floor(maxBlock / Math.max(1, u)));
      let indices: Int32Array;
      let distances: Float32Array;
      if (n <= rows) {
        const out = await s.run({ X: new ort.Tensor('float32', xs, [n, d]), W, K });
        indices = out.indices!.data as Int32Array;
        distances = out.distances!.data as Float32Array;
      } else {
        // Chunks of samples so one [rows, u] score block stays bounded.
        indices = new Int32Array(n * k);
        distances = new Float32Array(n * k);
        for (let start = 0; start < n; start += rows) {
          const size = Math.min(rows, n - start);
          const out = await s.run({ X: new ort.Tensor('float32', xs.subarray(start * d, (start + size) * d), [size, d]), W, K });
          indices.set(out.indices!.data as Int32Array, start * k);
          distances.set(out.distances!.data as Float32Array, start * k);
        }
      }
      return { indices: tf.tensor2d(indices, [n, k], 'int32'), distances: tf.tensor2d(distances, [n, k], 'float32') };
    },

    async neuronSums(job: NeuronSumsJob, ctx: SearchContext): Promise<NeuronSumsResult> {
      const { x, weights, samples: n, units: u, dims: d, k } = job;
      if (x.length !== n * d || weights.length !== u * d || !(k >= 1 && k <= u)) {
        throw new SomError('ERR_SHAPE_MISMATCH', `onnxruntime neuronSums: expected x [${n}, ${d}], weights [${u}, ${d}] and 1 ≤ k ≤ ${u}, got ${x.length} and ${weights.length} values and k = ${k}.`);
      }
      if (!DISTANCES.has(ctx.distance.name)) {
        throw new SomError('ERR_BACKEND_UNSUPPORTED', `onnxruntime neuronSums computes only the euclidean and sqeuclidean distances, not '${ctx.distance.name}'. Use search: 'brute-force' for this distance.`);
      }
      const { ort, s } = await need(sumsSession(ctx.distance.name !== 'sqeuclidean'));
      const W = new ort.Tensor('float32', weights, [u, d]);
      let K = kInputs.get(k);
      if (K === undefined) kInputs.set(k, (K = kTensor(ort, k)));
      const rows = Math.max(1, Math.floor(maxBlock / Math.max(1, u)));
      const indices = new Int32Array(n * k);
      const distances = new Float32Array(n * k);
      // Σ x per unit accumulates in the graph (ScatterND add), chunk after chunk.
      let S: OrtTensor = new ort.Tensor('float32', new Float32Array(u * d), [u, d]);
      for (let start = 0; start < n; start += rows) {
        const size = Math.min(rows, n - start);
        const out = await s.run({ X: new ort.Tensor('float32', x.subarray(start * d, (start + size) * d), [size, d]), W, K, S });
        indices.set(out.indices!.data as Int32Array, start * k);
        distances.set(out.distances!.data as Float32Array, start * k);
        S = out.S2!;
      }
      const sx = S.data as Float32Array;
      const sums = new Float32Array(u * (d + 1));
      for (let c = 0; c < u; c++) sums.set(sx.subarray(c * d, c * d + d), c * (d + 1));
      for (let i = 0; i < n; i++) {
        const at = indices[i * k]! * (d + 1) + d;
        sums[at] = sums[at]! + 1;
      }
      return { sums, indices, distances };
    },

    async product(a: tf.Tensor2D, b: tf.Tensor2D): Promise<tf.Tensor2D> {
      const [m, inner] = a.shape;
      const cols = b.shape[1];
      if (inner !== b.shape[0]) {
        throw new SomError('ERR_SHAPE_MISMATCH', `onnxruntime product: expected a [m, k] and b [k, n], got [${a.shape.join(', ')}] and [${b.shape.join(', ')}].`);
      }
      const { ort, s } = await need(productSession());
      const [ad, bd] = await Promise.all([a.data(), b.data()]);
      const out = await s.run({ A: new ort.Tensor('float32', f32(ad), [m, inner]), B: new ort.Tensor('float32', f32(bd), [inner, cols]) });
      return tf.tensor2d(out.Y!.data as Float32Array, [m, cols], 'float32');
    },

    async minibatchStep(step: MinibatchStep, ctx: SearchContext): Promise<MinibatchStepResult> {
      const { x, batch: b, dims: d } = step;
      if (x.length !== b * d) {
        throw new SomError('ERR_SHAPE_MISMATCH', `onnxruntime minibatchStep: expected x [${b}, ${d}] (${b * d} values), got ${x.length} values.`);
      }
      let rows = iotas.get(b);
      if (rows === undefined) iotas.set(b, (rows = Int32Array.from({ length: b }, (_, i) => i)));
      return runSteps({ ...step, rows, steps: 1, samples: b }, ctx);
    },

    minibatchSteps: runSteps,

    async ready(): Promise<true | string> {
      const ort = loadOrt();
      if (typeof ort === 'string') return ort;
      for (const s of await Promise.all([bmuSession(true), bmuSession(false), productSession(), stepsSession(true), stepsSession(false), sumsSession(true), sumsSession(false)])) if (typeof s === 'string') return s;
      return true;
    },
  };
}) as (options?: OnnxEngineOptions) => OnnxEngine;
