import { SomError } from '@somkit/plugin-api';

/** Per-neuron sums of a data shard (see `SOM.accumulate`); additive across shards. */
export interface NeuronSums {
  /** [u, d + 1] row-major: Σ x of the samples whose BMU is the unit, then their count. */
  sums: Float32Array;
  /**
   * [u, d] for data with missing values (`missing: 'mask'`): per unit and dimension, the samples
   * with that dimension observed; `sums` then adds observed values only. Absent for complete data.
   */
  counts?: Float32Array;
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
 * A running float64 sum of {@link NeuronSums} of disjoint chunks or shards, so the order of the
 * parts changes nothing beyond float32 rounding of the result, and memory holds one [u, d + 1]
 * accumulator however many parts come (streaming epochs, a worker's shard, a driver's merge).
 */
export class SumsAccumulator {
  private acc: Float64Array | undefined;
  private counts: Float64Array | undefined;
  private first: NeuronSums | undefined;
  private qeSum = 0;
  private teCount = 0;
  private n = 0;

  /** Adds one part. @throws SomError ERR_SHAPE_MISMATCH when it has another grid or width */
  add(p: NeuronSums): void {
    const first = (this.first ??= p);
    const acc = (this.acc ??= new Float64Array(first.sums.length));
    if (p.units !== first.units || p.dims !== first.dims || p.sums.length !== acc.length) {
      throw new SomError('ERR_SHAPE_MISMATCH', `mergeSums: shards disagree: ${first.units}×${first.dims} vs ${p.units}×${p.dims}.`);
    }
    for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + p.sums[i]!;
    // Parts of data with missing values carry per-dimension counts; a part without counts had none missing.
    if (p.counts !== undefined || this.counts !== undefined) this.addCounts(p, first);
    this.qeSum += p.qeSum;
    this.teCount += p.teCount;
    this.n += p.n;
  }

  private addCounts(p: NeuronSums, first: NeuronSums): void {
    const d = first.dims;
    const u = first.units;
    if (this.counts === undefined) {
      // The parts before this one had every value observed: their counts are the sample counts.
      this.counts = new Float64Array(u * d);
      if (this.n > 0) {
        for (let i = 0; i < u; i++) for (let j = 0; j < d; j++) this.counts[i * d + j] = this.acc![i * (d + 1) + d]! - p.sums[i * (d + 1) + d]!;
      }
    }
    if (p.counts !== undefined && p.counts.length !== u * d) {
      throw new SomError('ERR_SHAPE_MISMATCH', `mergeSums: counts of ${p.counts.length} values; expected ${u * d} (${u} units × ${d} dims).`);
    }
    for (let i = 0; i < u; i++) {
      for (let j = 0; j < d; j++) this.counts[i * d + j] = this.counts[i * d + j]! + (p.counts !== undefined ? p.counts[i * d + j]! : p.sums[i * (d + 1) + d]!);
    }
  }

  /** Parts added so far. */
  get empty(): boolean {
    return this.first === undefined;
  }

  /** The total, rounded to float32. @throws SomError ERR_EMPTY_INPUT when nothing was added */
  result(): NeuronSums {
    if (this.first === undefined || this.acc === undefined) throw new SomError('ERR_EMPTY_INPUT', 'mergeSums: expected at least one NeuronSums.');
    return { sums: Float32Array.from(this.acc), ...(this.counts !== undefined ? { counts: Float32Array.from(this.counts) } : {}), qeSum: this.qeSum, teCount: this.teCount, n: this.n, units: this.first.units, dims: this.first.dims };
  }
}

/**
 * Adds per-neuron sums of disjoint shards (in float64, so the merge order changes nothing
 * beyond float32 rounding of the result).
 */
export function mergeSums(parts: readonly NeuronSums[]): NeuronSums {
  const total = new SumsAccumulator();
  for (const p of parts) total.add(p);
  return total.result();
}
