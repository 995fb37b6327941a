import { SomError } from '@somkit/plugin-api';

/** Per-neuron sums of a data shard (see `SOM.accumulate`); additive across shards. */
export interface NeuronSums {
  /** [u, d + 1] row-major: Σ x of the samples whose BMU is the unit, then their count. */
  sums: Float32Array;
  /** Σ of the samples' distances to their BMU. */
  qeSum: number;
  /** Number of samples whose two best units are not neighbours. */
  teCount: number;
  /** Samples in the shard. */
  n: number;
  units: number;
  dims: number;
}

/**
 * Adds per-neuron sums of disjoint shards (in float64, so the merge order changes nothing
 * beyond float32 rounding of the result).
 */
export function mergeSums(parts: readonly NeuronSums[]): NeuronSums {
  const first = parts[0];
  if (first === undefined) throw new SomError('ERR_EMPTY_INPUT', 'mergeSums: expected at least one NeuronSums.');
  const acc = new Float64Array(first.sums.length);
  let qeSum = 0;
  let teCount = 0;
  let n = 0;
  for (const p of parts) {
    if (p.units !== first.units || p.dims !== first.dims || p.sums.length !== acc.length) {
      throw new SomError('ERR_SHAPE_MISMATCH', `mergeSums: shards disagree: ${first.units}×${first.dims} vs ${p.units}×${p.dims}.`);
    }
    for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + p.sums[i]!;
    qeSum += p.qeSum;
    teCount += p.teCount;
    n += p.n;
  }
  return { sums: Float32Array.from(acc), qeSum, teCount, n, units: first.units, dims: first.dims };
}
