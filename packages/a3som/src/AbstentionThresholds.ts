import type { AbstentionConfig } from './abstentionConfig.js';
import { quantile } from './quantile.js';
import { classCounts, type TrainingStats } from './TrainingStats.js';

/** Thresholds computed from the training rows (stored in the model file). */
export interface AbstentionThresholds {
  /** `quantile` of all training BMU distances. */
  readonly distanceGlobal: number;
  /** Per prototype: `quantile` of its own training BMU distances, or `distanceGlobal` when it has fewer than `minHits` hits. Shape [u]. */
  readonly distanceLocal: Float32Array;
  /** Per prototype: top-1 minus top-2 share of its labelled training hits; NaN when it has fewer than `minHits` labelled hits. Shape [u]. */
  readonly prototypeMargin: Float32Array;
}

/** Top-1 minus top-2 of a probability (or count-share) row. */
export function topTwoMargin(row: ArrayLike<number>, offset: number, C: number): number {
  let a = -Infinity;
  let b = -Infinity;
  for (let c = 0; c < C; c++) {
    const v = row[offset + c]!;
    if (v > a) [a, b] = [v, a];
    else if (v > b) b = v;
  }
  return C < 2 ? a : a - b;
}

/**
 * Abstention thresholds from the training statistics.
 * @param units - number of prototypes u
 * @param nClasses - C
 */
export function computeThresholds(stats: TrainingStats, units: number, nClasses: number, config: AbstentionConfig): AbstentionThresholds {
  const q = config.distance.quantile;
  const all = Float64Array.from(stats.distance).sort();
  const distanceGlobal = quantile(all, q);
  const perUnit: number[][] = Array.from({ length: units }, () => []);
  for (let i = 0; i < stats.bmu.length; i++) perUnit[stats.bmu[i]!]!.push(stats.distance[i]!);
  const distanceLocal = new Float32Array(units);
  for (let k = 0; k < units; k++) {
    const ds = perUnit[k]!;
    distanceLocal[k] = ds.length >= config.minHits ? quantile(Float64Array.from(ds).sort(), q) : distanceGlobal;
  }
  const counts = classCounts(stats, units, nClasses);
  const prototypeMargin = new Float32Array(units);
  for (let k = 0; k < units; k++) {
    let total = 0;
    for (let c = 0; c < nClasses; c++) total += counts[k * nClasses + c]!;
    if (total < config.minHits) {
      prototypeMargin[k] = Number.NaN;
      continue;
    }
    const shares = new Float64Array(nClasses);
    for (let c = 0; c < nClasses; c++) shares[c] = counts[k * nClasses + c]! / total;
    prototypeMargin[k] = topTwoMargin(shares, 0, nClasses);
  }
  return { distanceGlobal, distanceLocal, prototypeMargin };
}
