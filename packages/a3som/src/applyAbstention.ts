import type { AbstentionConfig } from './abstentionConfig.js';
import { topTwoMargin, type AbstentionThresholds } from './AbstentionThresholds.js';

/** Why a sample was not classified. */
export type AbstentionReason = 'novel' | 'ambiguous';

/** Result of `classify`. */
export interface Classification {
  /** Predicted class per sample, −1 when abstained, shape [n]. */
  labels: Int32Array;
  /** `null` when classified, else why not, length n. */
  reasons: (AbstentionReason | null)[];
}

/**
 * Applies the abstention rules to predictions. Distance rejection is checked first:
 * - 'novel' when the BMU distance exceeds the threshold (global, or the BMU's local one);
 * - 'ambiguous' when (global) the top-2 probability margin is below `margin`, or (local) the
 *   BMU's labelled training hits are mixed (their top-2 class-share margin is below `margin`);
 *   a BMU with fewer than `minHits` labelled hits falls back to the global rule.
 * @param probs - class probabilities, shape [n, C]
 * @param bmu - BMU per sample, shape [n]
 * @param dist - squared distance to the BMU, shape [n]
 */
export function applyAbstention(probs: Float32Array, bmu: Int32Array, dist: Float32Array, C: number, thresholds: AbstentionThresholds, config: AbstentionConfig): Classification {
  const n = bmu.length;
  const labels = new Int32Array(n);
  const reasons: (AbstentionReason | null)[] = new Array<AbstentionReason | null>(n).fill(null);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c]! > probs[i * C + best]!) best = c;
    labels[i] = best;
    const k = bmu[i]!;
    const dm = config.distance.mode;
    if (dm !== 'none') {
      const thr = dm === 'local' ? thresholds.distanceLocal[k]! : thresholds.distanceGlobal;
      if (dist[i]! > thr) {
        reasons[i] = 'novel';
        labels[i] = -1;
        continue;
      }
    }
    const am = config.ambiguity.mode;
    if (am !== 'none') {
      const local = am === 'local' ? thresholds.prototypeMargin[k]! : Number.NaN;
      const m = Number.isNaN(local) ? topTwoMargin(probs, i * C, C) : local;
      if (m < config.ambiguity.margin) {
        reasons[i] = 'ambiguous';
        labels[i] = -1;
      }
    }
  }
  return { labels, reasons };
}
