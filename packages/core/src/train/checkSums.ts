import { SomError } from '@somkit/plugin-api';
import type { NeuronSums } from './NeuronSums.js';

/**
 * Checks that per-neuron sums (one epoch's, from a source of `fitSums`) belong to a map of `units`
 * units × `dims` dims: `sums` [u, d + 1] and, when present, `counts` [u, d].
 * @throws SomError ERR_SHAPE_MISMATCH
 */
export function checkSums(s: NeuronSums, units: number, dims: number): void {
  if (s.units !== units || s.dims !== dims || s.sums.length !== units * (dims + 1)) {
    throw new SomError('ERR_SHAPE_MISMATCH', `Expected sums for ${units} units × ${dims} dims (${units * (dims + 1)} values), got ${s.units} × ${s.dims} (${s.sums.length} values). Were they computed by a SOM with another grid or width?`);
  }
  if (s.counts !== undefined && s.counts.length !== units * dims) {
    throw new SomError('ERR_SHAPE_MISMATCH', `Expected per-dimension counts for ${units} units × ${dims} dims (${units * dims} values), got ${s.counts.length} values.`);
  }
}
