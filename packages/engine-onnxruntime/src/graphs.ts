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

/** The nodes of {@link bmuGraph} (inputs `X`, `W`, `K`; also leaves `topIndex` int64 [n, k]). */
function bmuNodes(options: BmuGraphOptions): OnnxNode[] {
  return [
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
 * One whole minibatch step (TorchSOM's rule) in one graph, so a batch costs one session run:
 * BMU search, kernel rows, `Hᵀ·X` and the codebook update.
 *
 * Inputs: `X` [b, d] the batch, `W` [u, d] the codebook, `G` [u, u] the epoch's grid-kernel table
 * already multiplied by α / b (symmetric, so row `c` is also column `c`), `ONES` [b, 1] ones,
 * `K` [1] int64 (k, 1 or 2).
 * Outputs: `W2` [u, d] = W∘(1 − m) + Hᵀ X with `H` [b, u] the rows of `G` at each sample's BMU and
 * `m = Hᵀ·1` [u, 1] (the same update as W + (α/b)·(Hᵀ X − (Σ_b h)∘W) with α/b folded into G);
 * `indices` int32 [b, k] and `topScore` [b, k] = ‖w‖² − 2x·w of the k best units (the caller adds
 * ‖x‖² for distances, which is cheaper in JavaScript than four more graph nodes).
 *
 * Built so ORT's per-node costs stay low at b = 256: the update is one Gemm with `C`, the mass one
 * skinny Gemm, and no [b, u]-sized elementwise pass besides the gather.
 */
export function minibatchStepGraph(): Uint8Array {
  const nodes: OnnxNode[] = [
    { op: 'ReduceSumSquare', inputs: ['W'], outputs: ['wsq'], attributes: { axes: attr.ints([1]), keepdims: attr.int(0) } },
    { op: 'Gemm', inputs: ['X', 'W', 'wsq'], outputs: ['score'], attributes: { alpha: attr.float(-2), beta: attr.float(1), transB: attr.int(1) } },
    { op: 'TopK', inputs: ['score', 'K'], outputs: ['topScore', 'topIndex'], attributes: { axis: attr.int(1), largest: attr.int(0), sorted: attr.int(1) } },
    // [b, 1] best units → [b, 1, u] kernel rows → [b, u].
    { op: 'Gather', inputs: ['topIndex', 'ZERO'], outputs: ['bmu'], attributes: { axis: attr.int(1) } },
    { op: 'Gather', inputs: ['G', 'bmu'], outputs: ['h3'], attributes: { axis: attr.int(0) } },
    { op: 'Flatten', inputs: ['h3'], outputs: ['H'], attributes: { axis: attr.int(1) } },
    // [u, 1] m = Hᵀ·1; W∘(1 − m); W2 = Hᵀ X + W∘(1 − m).
    { op: 'Gemm', inputs: ['H', 'ONES'], outputs: ['mass'], attributes: { transA: attr.int(1) } },
    { op: 'Sub', inputs: ['ONE', 'mass'], outputs: ['keep'] },
    { op: 'Mul', inputs: ['W', 'keep'], outputs: ['wKeep'] },
    { op: 'Gemm', inputs: ['H', 'X', 'wKeep'], outputs: ['W2'], attributes: { transA: attr.int(1), beta: attr.float(1) } },
    { op: 'Cast', inputs: ['topIndex'], outputs: ['indices'], attributes: { to: attr.int(6) } },
  ];
  return encodeModel({
    graph: {
      name: 'somkit_minibatch_step',
      nodes,
      initializers: [
        { name: 'ZERO', type: 'int64', dims: [1], values: [0] },
        { name: 'ONE', type: 'float', dims: [1], values: [1] },
      ],
      inputs: [
        { name: 'X', type: 'float', shape: ['b', 'd'] },
        { name: 'W', type: 'float', shape: ['u', 'd'] },
        { name: 'G', type: 'float', shape: ['u', 'u'] },
        { name: 'ONES', type: 'float', shape: ['b', 1] },
        { name: 'K', type: 'int64', shape: [1] },
      ],
      outputs: [
        { name: 'W2', type: 'float', shape: ['u', 'd'] },
        { name: 'indices', type: 'int32', shape: ['b', 'k'] },
        { name: 'topScore', type: 'float', shape: ['b', 'k'] },
      ],
    },
  });
}
