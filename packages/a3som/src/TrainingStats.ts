/**
 * What the model remembers of its training rows after `fit` (and stores in its model file): each
 * row's BMU, squared distance to it and label. Abstention thresholds, prototype class
 * distributions and the hit map derive from it.
 */
export interface TrainingStats {
  /** BMU per training row, shape [n]. */
  readonly bmu: Int32Array;
  /** Squared distance to the BMU, shape [n]. */
  readonly distance: Float32Array;
  /** Label per training row, −1 when unlabelled, shape [n]. */
  readonly labels: Int32Array;
}

/**
 * Labelled training hits per prototype and class.
 * @returns [u, C] counts, row-major
 */
export function classCounts(stats: TrainingStats, units: number, nClasses: number): Float64Array {
  const out = new Float64Array(units * nClasses);
  for (let i = 0; i < stats.bmu.length; i++) {
    const y = stats.labels[i]!;
    if (y >= 0) out[stats.bmu[i]! * nClasses + y]! += 1;
  }
  return out;
}
