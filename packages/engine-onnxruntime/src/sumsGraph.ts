/**
 * The per-neuron sums graph of the batch-map rule. Internal.
 */
import { attr, encodeModel } from './onnxModel.js';

/**
 * `S` [u, d] = Σ of the samples per best unit: `ScatterND(zeros, bmu, X; reduction = add)`.
 *
 * ORT's CPU ScatterND splits the index tuples over the intra-op threads and adds without atomics,
 * so with several threads two rows with the same best unit race: the sum order (and in principle
 * an update) depends on scheduling, and results differed run to run. The engine therefore runs
 * this graph in a session with **one** intra-op thread, where the adds happen in row order:
 * same input, same bits, for any `intraOpNumThreads` of the engine (and no race).
 *
 * Inputs: `X` [n, d], `IDX` int32 [n, k] (column 0 is the best unit), `SHAPE` int64 [2] = [u, d].
 * Output: `S` [u, d].
 */
export function sumsGraph(): Uint8Array {
  return encodeModel({
    graph: {
      name: 'somkit_neuron_sums',
      nodes: [
        // [n, 1] int64 best unit per sample: the ScatterND index tuples.
        { op: 'Gather', inputs: ['IDX', 'ZERO1'], outputs: ['bmu32'], attributes: { axis: attr.int(1) } },
        { op: 'Cast', inputs: ['bmu32'], outputs: ['bmu'], attributes: { to: attr.int(7) } },
        // Float zeros [u, d] (ConstantOfShape's default value).
        { op: 'ConstantOfShape', inputs: ['SHAPE'], outputs: ['zeros'] },
        { op: 'ScatterND', inputs: ['zeros', 'bmu', 'X'], outputs: ['S'], attributes: { reduction: attr.string('add') } },
      ],
      initializers: [{ name: 'ZERO1', type: 'int64', dims: [1], values: [0] }],
      inputs: [
        { name: 'X', type: 'float', shape: ['n', 'd'] },
        { name: 'IDX', type: 'int32', shape: ['n', 'k'] },
        { name: 'SHAPE', type: 'int64', shape: [2] },
      ],
      outputs: [{ name: 'S', type: 'float', shape: ['u', 'd'] }],
    },
  });
}
