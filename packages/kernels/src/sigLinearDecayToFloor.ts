import { defineSchedule, SomError } from '@somkit/plugin-api';

/** Options of {@link sigLinearDecayToFloor}. */
export type SigLinearDecayToFloorOptions = {
  /** Smallest σ, a finite number > 0. Default 0.1. */
  floor?: number;
};

/**
 * Linear σ decay towards zero with a floor, max(floor, σ0 · (1 − t/T)), registry name
 * `'sig_linear_decay_to_floor'` — the σ half of fastsom's `LinearDecaySomTrainer` (which has no
 * floor and ends at σ0/T). σ can never be 0: the kernels divide by σ (gaussian: −d²/(2σ²)), so
 * σ → 0 is 0/0 = NaN at the BMU. The default floor, 0.1 grid units, is already winner-take-all
 * (a gaussian neighbour 1 unit away gets exp(−50) ≈ 2e−22), so a lower floor changes nothing.
 * Pair it with `'lr_linear_decay_to_zero'` (α0 · (1 − t/T)) for the whole trainer.
 *
 * ```ts
 * sigLinearDecayToFloor().value(5, 5, 10);                // 2.5
 * sigLinearDecayToFloor({ floor: 1 }).value(5, 9, 10);    // max(1, 0.5) = 1
 * ```
 * @throws SomError `ERR_INVALID_CONFIG` when `floor` is not a finite number > 0
 */
export const sigLinearDecayToFloor = defineSchedule<SigLinearDecayToFloorOptions | undefined>('sig_linear_decay_to_floor', (options) => {
  const floor = options?.floor ?? 0.1;
  if (typeof floor !== 'number' || !Number.isFinite(floor) || floor <= 0) {
    throw new SomError(
      'ERR_INVALID_CONFIG',
      `Expected sig_linear_decay_to_floor option 'floor' to be a finite number > 0, got ${String(floor)}. ` +
        `σ = 0 makes the neighbourhood kernel NaN (it divides by σ). To fix: pass e.g. { floor: 0.1 } (winner-take-all already), or omit it.`,
      { details: { plugin: 'sig_linear_decay_to_floor', option: 'floor', value: floor } },
    );
  }
  return { value: (initial, t, total) => Math.max(floor, initial * (1 - t / total)) };
});
