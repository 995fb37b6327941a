/**
 * The BMU search graph and its nodes (also embedded in the minibatch steps loop). Internal.
 */
import { attr, encodeModel, type OnnxNode } from './onnxModel.js';

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
