/**
 * The BMU search graph and its nodes (also embedded in the minibatch steps loop). Internal.
 */
import { attr, encodeModel, type OnnxNode } from './onnxModel.js';

/** Inputs and outputs of the BMU graphs (plain and masked). */
const BMU_GRAPH_IO = {
  inputs: [
    { name: 'X', type: 'float', shape: ['n', 'd'] },
    { name: 'W', type: 'float', shape: ['u', 'd'] },
    { name: 'K', type: 'int64', shape: [1] },
  ],
  outputs: [
    { name: 'indices', type: 'int32', shape: ['n', 'k'] },
    { name: 'distances', type: 'float', shape: ['n', 'k'] },
  ],
} as const;

/** Options of {@link bmuGraph}. */
export interface BmuGraphOptions {
  /** Output true euclidean distances (√) rather than squared ones. */
  readonly sqrt: boolean;
}

/** Options of {@link bmuNodes}. */
export interface BmuNodesOptions extends BmuGraphOptions {
  /** The codebook input is Wᵀ [d, u] instead of W [u, d] (the minibatch loop carries it so). */
  readonly transposed?: boolean;
}

/** Value names of {@link bmuNodes}: its two inputs and two outputs (defaults: `X`, `W`, `distances`, `indices`). */
export interface BmuNames {
  readonly x?: string;
  readonly w?: string;
  readonly distances?: string;
  readonly indices?: string;
}

/**
 * The nodes of {@link bmuGraph} (inputs `X` [n, d], `W` [u, d] — or Wᵀ [d, u] with `transposed` —,
 * `K` int64 [1]; also leaves `topIndex` int64 [n, k]), under other value names where a graph
 * embeds them (the minibatch loop body).
 */
export function bmuNodes(options: BmuNodesOptions, names: BmuNames = {}): OnnxNode[] {
  const { x = 'X', w = 'W', distances = 'distances', indices = 'indices' } = names;
  const t = options.transposed === true;
  return [
    // [u] squared unit norms.
    { op: 'ReduceSumSquare', inputs: [w], outputs: ['wsq'], attributes: { axes: attr.ints([t ? 0 : 1]), keepdims: attr.int(0) } },
    // [n, u] = −2·X·Wᵀ + wsq (wsq broadcasts over rows).
    { op: 'Gemm', inputs: [x, w, 'wsq'], outputs: ['score'], attributes: { alpha: attr.float(-2), beta: attr.float(1), transB: attr.int(t ? 0 : 1) } },
    // k smallest per row, sorted ascending; equal values keep the lower index first.
    { op: 'TopK', inputs: ['score', 'K'], outputs: ['topScore', 'topIndex'], attributes: { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) } },
    // [n, 1] squared sample norms.
    { op: 'ReduceSumSquare', inputs: [x], outputs: ['xsq'], attributes: { axes: attr.ints([1]), keepdims: attr.int(1) } },
    { op: 'Add', inputs: ['topScore', 'xsq'], outputs: ['d2raw'] },
    // Clip rounding below zero.
    { op: 'Relu', inputs: ['d2raw'], outputs: options.sqrt ? ['d2'] : [distances] },
    ...(options.sqrt ? [{ op: 'Sqrt', inputs: ['d2'], outputs: [distances] }] : []),
    // The kernels return int32 indices; casting in the graph spares a BigInt64Array pass in JS.
    { op: 'Cast', inputs: ['topIndex'], outputs: [indices], attributes: { to: attr.int(6) } },
  ];
}

/**
 * k best units under the squared euclidean distance.
 *
 * Inputs: `X` [n, d] samples, `W` [u, d] the codebook, `K` [1] int64 (k).
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
      ...BMU_GRAPH_IO,
    },
  });
}

/**
 * The nodes of {@link maskedBmuGraph} under the value names a graph embeds them with (the masked
 * minibatch loop body): inputs `x` (NaN = missing) and `w` ([u, d], or Wᵀ [d, u] with
 * `transposed`), `K`; outputs `distances`, `indices`; also leaves `topIndex` int64 [n, k] and, for
 * the update, `XF` (missing cells as 0) and `M` (the 0/1 mask) [n, d].
 */
export function maskedBmuNodes(options: BmuNodesOptions, names: BmuNames = {}): OnnxNode[] {
  const { x = 'X', w = 'W', distances = 'distances', indices = 'indices' } = names;
  const t = options.transposed === true;
  return [
    { op: 'IsNaN', inputs: [x], outputs: ['nan'] },
    { op: 'Where', inputs: ['nan', 'FZERO', x], outputs: ['XF'] },
    { op: 'Not', inputs: ['nan'], outputs: ['seen'] },
    { op: 'Cast', inputs: ['seen'], outputs: ['M'], attributes: { to: attr.int(1) } },
    { op: 'Mul', inputs: [w, w], outputs: ['W2'] },
    // [n, u] Σ_o w² over each sample's observed dimensions, then − 2·X̃·Wᵀ.
    { op: 'Gemm', inputs: ['M', 'W2'], outputs: ['wpart'], attributes: { transB: attr.int(t ? 0 : 1) } },
    { op: 'Gemm', inputs: ['XF', w, 'wpart'], outputs: ['score'], attributes: { alpha: attr.float(-2), beta: attr.float(1), transB: attr.int(t ? 0 : 1) } },
    { op: 'TopK', inputs: ['score', 'K'], outputs: ['topScore', 'topIndex'], attributes: { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) } },
    { op: 'ReduceSumSquare', inputs: ['XF'], outputs: ['xsq'], attributes: { axes: attr.ints([1]), keepdims: attr.int(1) } },
    { op: 'Add', inputs: ['topScore', 'xsq'], outputs: ['d2raw'] },
    { op: 'Relu', inputs: ['d2raw'], outputs: ['d2obs'] },
    // [n, 1] d / observed.
    { op: 'ReduceSum', inputs: ['M', 'AXIS_1'], outputs: ['obs'], attributes: { keepdims: attr.int(1) } },
    { op: 'Shape', inputs: [x], outputs: ['shapeX'] },
    { op: 'Gather', inputs: ['shapeX', 'IONE'], outputs: ['dInt'], attributes: { axis: attr.int(0) } },
    { op: 'Cast', inputs: ['dInt'], outputs: ['dFloat'], attributes: { to: attr.int(1) } },
    { op: 'Div', inputs: ['dFloat', 'obs'], outputs: ['scale'] },
    { op: 'Mul', inputs: ['d2obs', 'scale'], outputs: options.sqrt ? ['d2'] : [distances] },
    ...(options.sqrt ? [{ op: 'Sqrt', inputs: ['d2'], outputs: [distances] }] : []),
    { op: 'Cast', inputs: ['topIndex'], outputs: [indices], attributes: { to: attr.int(6) } },
  ];
}

/** Constants of {@link maskedBmuNodes}. */
export const MASKED_BMU_INITIALIZERS = [
  { name: 'FZERO', type: 'float' as const, dims: [], values: [0] },
  { name: 'AXIS_1', type: 'int64' as const, dims: [1], values: [1] },
  { name: 'IONE', type: 'int64' as const, dims: [], values: [1] },
];

/**
 * {@link bmuGraph} for samples with NaN at missing cells (`missing: true` jobs): the squared
 * euclidean distance over each sample's observed dimensions, rescaled by d / observed.
 *
 * Inputs and outputs as {@link bmuGraph}. With X̃ the samples with missing cells as 0 and M their
 * 0/1 mask, units are ranked by `M·(W²)ᵀ − 2·X̃·Wᵀ` (two Gemms; ‖x̃‖² and the scale are constant per
 * row), and the reported distance is √(max(0, ‖x̃‖² + score) · d / Σ M) — the tfjs masked form.
 */
export function maskedBmuGraph(options: BmuGraphOptions): Uint8Array {
  return encodeModel({
    graph: {
      name: options.sqrt ? 'somkit_bmu_euclidean_masked' : 'somkit_bmu_sqeuclidean_masked',
      nodes: maskedBmuNodes(options),
      initializers: MASKED_BMU_INITIALIZERS,
      ...BMU_GRAPH_IO,
    },
  });
}
