import { defineSchedule, SomError } from '@somkit/plugin-api';

/** Options of {@link exponentialDecay}. */
export type ExponentialDecayOptions = {
  /**
   * Value reached at the last epoch (t = T − 1), > 0. When omitted the schedule ends at
   * θ0/100, whatever θ0 is.
   */
  final?: number;
};

/** Ratio final/θ0 used when `final` is not given. */
const DEFAULT_RATIO = 0.01;

/**
 * Exponential (geometric) decay θ0 · (θT/θ0)^(t/(T − 1)), registry name `'exponential'`.
 *
 * Starts at θ0 (t = 0) and reaches `final` exactly at the last epoch (t = T − 1); without `final`
 * it ends at θ0/100. With a single epoch (T = 1) it returns θ0. θ0 must be > 0 when `final` is
 * given.
 *
 * ```ts
 * exponentialDecay({ final: 0.5 }).value(4, 1, 3); // 4 · (0.5/4)^(1/2) = √2
 * exponentialDecay().value(1, 2, 3);               // 0.01
 * ```
 *
 * @throws SomError `ERR_INVALID_CONFIG` when `final` is given and is not a finite number > 0
 */
export const exponentialDecay = defineSchedule<ExponentialDecayOptions | undefined>('exponential', (options) => {
  const final = options?.final;
  if (final !== undefined && (typeof final !== 'number' || !Number.isFinite(final) || final <= 0)) {
    throw new SomError(
      'ERR_INVALID_CONFIG',
      `Expected exponential schedule option 'final' to be a finite number > 0, got ${String(final)}. ` +
        `To fix: pass e.g. exponentialDecay({final: 0.01}), or omit 'final' to decay to 1/100 of the initial value.`,
      { details: { plugin: 'exponential', option: 'final', value: final } },
    );
  }
  return {
    value: (initial, t, total) => {
      if (total <= 1) return initial;
      const ratio = final === undefined ? DEFAULT_RATIO : final / initial;
      return initial * Math.pow(ratio, t / (total - 1));
    },
  };
});
