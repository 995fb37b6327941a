/**
 * The batch-map neighbourhood product graph. Internal.
 */
import { KERNEL_ROW_INITIALIZERS, kernelRowInputs, kernelRowNodes, type GatheredLayout } from './kernelRowNodes.js';
import { encodeModel } from './onnxModel.js';

/**
 * One row block of `G·m`: `Y` [a, c] = `G[A, :]·M`, with the block's kernel rows `G[A, :]` [a, u]
 * gathered from the table inside the graph (`G[i, b] = values[base[A_i] + offset[b]]`), then one
 * MatMul. The caller runs it block after block, so at most a·u kernel values exist at a time.
 *
 * Inputs: the table in `layout` (see {@link kernelRowInputs}), `A` int32 [a, 1] the block's units,
 * `M` [u, c]. Output: `Y` [a, c].
 */
export function neighborhoodProductGraph(layout: GatheredLayout): Uint8Array {
  return encodeModel({
    graph: {
      name: `somkit_neighborhood_product_${layout}`,
      nodes: [...kernelRowNodes(layout, 'A', 'G'), { op: 'MatMul', inputs: ['G', 'M'], outputs: ['Y'] }],
      initializers: KERNEL_ROW_INITIALIZERS,
      inputs: [...kernelRowInputs(layout), { name: 'A', type: 'int32', shape: ['a', 1] }, { name: 'M', type: 'float', shape: ['u', 'c'] }],
      outputs: [{ name: 'Y', type: 'float', shape: ['a', 'c'] }],
    },
  });
}
