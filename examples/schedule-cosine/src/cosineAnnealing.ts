import { defineSchedule, SomError } from '@somkit/plugin-api';

/** Options of {@link cosineAnnealing}. JSON only: they are stored in model files. */
export interface CosineAnnealingOptions {
  /** Value at the last epoch (t = T − 1), > 0. Default: θ0/100. */
  final?: number;
}

/**
 * Cosine annealing θT + (θ0 − θT)·(1 + cos(π·t/(T − 1)))/2, registry name
 * `'somkit-schedule-cosine/cosine_annealing'` (SGDR without restarts).
 *
 * Starts at θ0 (t = 0), stays high longer than the asymptotic decay, and lands exactly on `final`
 * at the last epoch. With one epoch it returns θ0. Usable for the learning rate and for σ.
 *
 * ```ts
 * cosineAnnealing({ final: 0.1 }).value(1, 2, 5); // 0.1 + 0.9·(1 + cos(π/2))/2 = 0.55
 * ```
 *
 * @throws SomError `ERR_INVALID_CONFIG` when `final` is given and is not a finite number > 0
 */
export const cosineAnnealing = defineSchedule<CosineAnnealingOptions | undefined>('somkit-schedule-cosine/cosine_annealing', (options) => {
  const final = options?.final;
  if (final !== undefined && (typeof final !== 'number' || !Number.isFinite(final) || final <= 0)) {
    throw new SomError(
      'ERR_INVALID_CONFIG',
      `Expected cosine_annealing option 'final' to be a finite number > 0, got ${String(final)}. To fix: pass e.g. cosineAnnealing({ final: 0.01 }), or omit it to end at 1/100 of the initial value.`,
    );
  }
  return {
    value: (initial, t, total) => {
      if (total <= 1) return initial;
      const end = final ?? initial / 100;
      return end + ((initial - end) * (1 + Math.cos((Math.PI * t) / (total - 1)))) / 2;
    },
  };
});
