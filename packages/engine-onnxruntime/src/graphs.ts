/**
 * The ONNX graphs this engine runs, built in code (a few hundred bytes each). Internal.
 */
import { attr, encodeModel, type OnnxGraph, type OnnxNode } from './onnxModel.js';

/** Options of {@link bmuGraph}. */
export interface BmuGraphOptions {
  /** Output true euclidean distances (√) rather than squared ones. */
  readonly sqrt: boolean;
}

/**
 * k best units under the squared euclidean distance.
 *
 * Inputs: `X` [n, d] samples, `W` [u, d] the codebook as core holds it, `K` [1] int64 (k).
 * Outputs: `indices` int32 [n, k] (nearest first; equal scores keep the lower unit first),
 * `distances` float32 [n, k].
 *
 * Ranking uses `‖w‖² − 2·X·Wᵀ` (one Gemm with `transB`: ‖x‖² is constant per row, so it is added
 * only to the k winners); the reported distance is √max(0, ‖x‖² + score) (no √ for sqeuclidean),
 * the same expansion and clipping as the tfjs `euclidean().prepare`.
 *
 * The codebook goes in untransposed and its norms are taken in the graph: the Gemm packs its right
 * operand either way, while transposing [u, d] in JavaScript cost ~0.4 ms per call at 1024×64 —
 * as much as the search itself for a batch of 256 (minibatch training changes W every batch).
 */
export function bmuGraph(options: BmuGraphOptions): Uint8Array {
  return encodeModel({
    graph: {
      name: options.sqrt ? 'somkit_bmu_euclidean' : 'somkit_bmu_sqeuclidean',
      nodes: bmuNodes(options),
      inputs: [
        { name: 'X', type: 'float', shape: ['n', 'd'] },
        { name: 'W', type: 'float', shape: ['u', 'd'] },
        { name: 'K', type: 'int64', shape: [1] },
      ],
      outputs: [
        { name: 'indices', type: 'int32', shape: ['n', 'k'] },
        { name: 'distances', type: 'float', shape: ['n', 'k'] },
      ],
    },
  });
}

/** Value names of {@link bmuNodes}: its two inputs and two outputs (defaults: `X`, `W`, `distances`, `indices`). */
interface BmuNames {
  readonly x?: string;
  readonly w?: string;
  readonly distances?: string;
  readonly indices?: string;
}

/**
 * The nodes of {@link bmuGraph} (inputs `X`, `W`, `K`; also leaves `topIndex` int64 [n, k]), under
 * other value names where a graph embeds them (the minibatch loop body).
 */
function bmuNodes(options: BmuGraphOptions, names: BmuNames = {}): OnnxNode[] {
  const { x = 'X', w = 'W', distances = 'distances', indices = 'indices' } = names;
  return [
    // [u] squared unit norms.
    { op: 'ReduceSumSquare', inputs: [w], outputs: ['wsq'], attributes: { axes: attr.ints([1]), keepdims: attr.int(0) } },
    // [n, u] = −2·X·Wᵀ + wsq (wsq broadcasts over rows).
    { op: 'Gemm', inputs: [x, w, 'wsq'], outputs: ['score'], attributes: { alpha: attr.float(-2), beta: attr.float(1), transB: attr.int(1) } },
    // k smallest per row, sorted ascending; equal values keep the lower index first.
    { op: 'TopK', inputs: ['score', 'K'], outputs: ['topScore', 'topIndex'], attributes: { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) } },
    // [n, 1] squared sample norms.
    { op: 'ReduceSumSquare', inputs: [x], outputs: ['xsq'], attributes: { axes: attr.ints([1]), keepdims: attr.int(1) } },
    { op: 'Add', inputs: ['topScore', 'xsq'], outputs: ['d2raw'] },
    // Clip rounding below zero.
    { op: 'Relu', inputs: ['d2raw'], outputs: options.sqrt ? ['d2'] : [distances] },
    ...(options.sqrt ? [{ op: 'Sqrt', inputs: ['d2'], outputs: [distances] }] : []),
    // tfjs wants int32 indices; casting in the graph spares a BigInt64Array pass in JS.
    { op: 'Cast', inputs: ['topIndex'], outputs: [indices], attributes: { to: attr.int(6) } },
  ];
}

/**
 * {@link bmuGraph} plus the per-neuron sums of the batch-map rule, for one chunk of samples:
 * `S2 = S + onehot(bmu)ᵀ·X` by a ScatterND with `reduction: 'add'` (4 ms for 10000 × 784 here,
 * against 32 ms for the same loop in JavaScript).
 *
 * Inputs: `X` [n, d], `W` [u, d], `K` [1] int64, `S` [u, d] the running sums (zeros for the first
 * chunk). Outputs: `indices` int32 [n, k], `distances` float32 [n, k], `S2` [u, d].
 */
export function sumsGraph(options: BmuGraphOptions): Uint8Array {
  const bmu = bmuNodes(options);
  const nodes: OnnxNode[] = [
    ...bmu,
    // [n, 1] int64 best unit per sample: the ScatterND index tuples.
    { op: 'Gather', inputs: ['topIndex', 'ZERO'], outputs: ['bmu'], attributes: { axis: attr.int(1) } },
    { op: 'ScatterND', inputs: ['S', 'bmu', 'X'], outputs: ['S2'], attributes: { reduction: attr.string('add') } },
  ];
  return encodeModel({
    graph: {
      name: options.sqrt ? 'somkit_sums_euclidean' : 'somkit_sums_sqeuclidean',
      nodes,
      initializers: [{ name: 'ZERO', type: 'int64', dims: [1], values: [0] }],
      inputs: [
        { name: 'X', type: 'float', shape: ['n', 'd'] },
        { name: 'W', type: 'float', shape: ['u', 'd'] },
        { name: 'K', type: 'int64', shape: [1] },
        { name: 'S', type: 'float', shape: ['u', 'd'] },
      ],
      outputs: [
        { name: 'indices', type: 'int32', shape: ['n', 'k'] },
        { name: 'distances', type: 'float', shape: ['n', 'k'] },
        { name: 'S2', type: 'float', shape: ['u', 'd'] },
      ],
    },
  });
}

/** `Y = A·B`: `A` [m, k], `B` [k, n] → `Y` [m, n], all float32. */
export function productGraph(): Uint8Array {
  return encodeModel({
    graph: {
      name: 'somkit_product',
      nodes: [{ op: 'MatMul', inputs: ['A', 'B'], outputs: ['Y'] }],
      inputs: [
        { name: 'A', type: 'float', shape: ['m', 'k'] },
        { name: 'B', type: 'float', shape: ['k', 'n'] },
      ],
      outputs: [{ name: 'Y', type: 'float', shape: ['m', 'n'] }],
    },
  });
}

/**
 * Several whole minibatch steps (TorchSOM's rule) in one session run: an ONNX `Loop` whose body
 * gathers a batch's rows from the samples, searches its BMUs, takes the kernel rows and updates
 * the codebook, which stays inside the runtime from one step to the next.
 *
 * Inputs: `X` [n, d] the samples, `ROWS` int32 [s, b] the rows of each step, `W` [u, d] the
 * codebook, `G` [u, u] the grid-kernel table already multiplied by α / b (symmetric, so row `c`
 * is also column `c`), `NEGONES` [b, 1] minus ones, `K` [1] int64 (k, 1 or 2).
 * Outputs: `W2` [u, d] the codebook after the s steps; `indices` int32 [s, b, k] and `distances`
 * [s, b, k] of each step's samples under the codebook that step started from.
 *
 * One step: `W ← W∘(1 − Hᵀ1) + Hᵀ X` with `H` [b, u] the rows of `G` at each sample's BMU (the same
 * update as W + (α/b)·(Hᵀ X − (Σ_b h)∘W), α/b folded into G). `1 − Hᵀ1` is one skinny Gemm
 * (`−Hᵀ·1 + 1`), the update one Gemm with `C`, and there is no [b, u]-sized elementwise pass
 * besides the gather. The loop spares a session run per step: measured here at b = 256,
 * u = 1024, d = 64, a step inside a 16-step loop took ~15 % less than a one-step run (the
 * 256 KiB codebook is copied out to JavaScript once per call instead of once per step).
 */
export function minibatchStepsGraph(options: BmuGraphOptions): Uint8Array {
  const body: OnnxGraph = {
    name: 'step',
    nodes: [
      // [b] rows of this step → [b, d] its samples.
      { op: 'Gather', inputs: ['ROWS', 'iter'], outputs: ['rows'], attributes: { axis: attr.int(0) } },
      { op: 'Gather', inputs: ['X', 'rows'], outputs: ['Xi'], attributes: { axis: attr.int(0) } },
      // The BMU graph's nodes: k best units and their distances.
      ...bmuNodes(options, { x: 'Xi', w: 'Win', distances: 'dist', indices: 'idx' }),
      // [b] best units (a scalar index drops the axis) → [b, u] kernel rows.
      { op: 'Gather', inputs: ['topIndex', 'ZERO'], outputs: ['bmu'], attributes: { axis: attr.int(1) } },
      { op: 'Gather', inputs: ['G', 'bmu'], outputs: ['H'], attributes: { axis: attr.int(0) } },
      // [u, 1] keep = 1 − Hᵀ·1; Wout = Hᵀ X + W∘keep.
      { op: 'Gemm', inputs: ['H', 'NEGONES', 'ONE'], outputs: ['keep'], attributes: { transA: attr.int(1) } },
      { op: 'Mul', inputs: ['Win', 'keep'], outputs: ['wKeep'] },
      { op: 'Gemm', inputs: ['H', 'Xi', 'wKeep'], outputs: ['Wout'], attributes: { transA: attr.int(1), beta: attr.float(1) } },
      { op: 'Identity', inputs: ['cond'], outputs: ['condOut'] },
    ],
    inputs: [
      { name: 'iter', type: 'int64', shape: [] },
      { name: 'cond', type: 'bool', shape: [] },
      { name: 'Win', type: 'float', shape: ['u', 'd'] },
    ],
    outputs: [
      { name: 'condOut', type: 'bool', shape: [] },
      { name: 'Wout', type: 'float', shape: ['u', 'd'] },
      { name: 'idx', type: 'int32', shape: ['b', 'k'] },
      { name: 'dist', type: 'float', shape: ['b', 'k'] },
    ],
  };
  return encodeModel({
    graph: {
      name: options.sqrt ? 'somkit_minibatch_steps_euclidean' : 'somkit_minibatch_steps_sqeuclidean',
      nodes: [
        // Trip count s = ROWS.shape[0].
        { op: 'Shape', inputs: ['ROWS'], outputs: ['rowsShape'] },
        { op: 'Gather', inputs: ['rowsShape', 'ZERO'], outputs: ['steps'], attributes: { axis: attr.int(0) } },
        { op: 'Loop', inputs: ['steps', 'TRUE', 'W'], outputs: ['W2', 'indices', 'distances'], attributes: { body: attr.graph(body) } },
      ],
      initializers: [
        { name: 'ZERO', type: 'int64', dims: [], values: [0] },
        { name: 'ONE', type: 'float', dims: [1], values: [1] },
        { name: 'TRUE', type: 'bool', dims: [], values: [1] },
      ],
      inputs: [
        { name: 'X', type: 'float', shape: ['n', 'd'] },
        { name: 'ROWS', type: 'int32', shape: ['s', 'b'] },
        { name: 'W', type: 'float', shape: ['u', 'd'] },
        { name: 'G', type: 'float', shape: ['u', 'u'] },
        { name: 'NEGONES', type: 'float', shape: ['b', 1] },
        { name: 'K', type: 'int64', shape: [1] },
      ],
      outputs: [
        { name: 'W2', type: 'float', shape: ['u', 'd'] },
        { name: 'indices', type: 'int32', shape: ['s', 'b', 'k'] },
        { name: 'distances', type: 'float', shape: ['s', 'b', 'k'] },
      ],
    },
  });
}
