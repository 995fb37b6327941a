/**
 * The ONNX graphs this engine runs, built in code (a few hundred bytes each). Internal.
 */
import { attr, encodeModel, type OnnxNode } from './onnxModel.js';

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
  const nodes: OnnxNode[] = [
    // [u] squared unit norms.
    { op: 'ReduceSumSquare', inputs: ['W'], outputs: ['wsq'], attributes: { axes: attr.ints([1]), keepdims: attr.int(0) } },
    // [n, u] = −2·X·Wᵀ + wsq (wsq broadcasts over rows).
    { op: 'Gemm', inputs: ['X', 'W', 'wsq'], outputs: ['score'], attributes: { alpha: attr.float(-2), beta: attr.float(1), transB: attr.int(1) } },
    // k smallest per row, sorted ascending; equal values keep the lower index first.
    { op: 'TopK', inputs: ['score', 'K'], outputs: ['topScore', 'topIndex'], attributes: { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) } },
    // [n, 1] squared sample norms.
    { op: 'ReduceSumSquare', inputs: ['X'], outputs: ['xsq'], attributes: { axes: attr.ints([1]), keepdims: attr.int(1) } },
    { op: 'Add', inputs: ['topScore', 'xsq'], outputs: ['d2raw'] },
    // Clip rounding below zero.
    { op: 'Relu', inputs: ['d2raw'], outputs: options.sqrt ? ['d2'] : ['distances'] },
    ...(options.sqrt ? [{ op: 'Sqrt', inputs: ['d2'], outputs: ['distances'] }] : []),
    // tfjs wants int32 indices; casting in the graph spares a BigInt64Array pass in JS.
    { op: 'Cast', inputs: ['topIndex'], outputs: ['indices'], attributes: { to: attr.int(6) } },
  ];
  return encodeModel({
    graph: {
      name: options.sqrt ? 'somkit_bmu_euclidean' : 'somkit_bmu_sqeuclidean',
      nodes,
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
