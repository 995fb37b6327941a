import { defineSchedule } from '@somkit/plugin-api';

/**
 * Linear σ decay σ0 + t·(1 − σ0)/T, registry name `'sig_linear_decay_to_one'` (TorchSOM/MiniSom).
 * Tends to 1 as t approaches T; σ0 = 1 stays 1.
 *
 * ```ts
 * sigLinearDecayToOne().value(4, 2, 3); // 4 + 2·(−3)/3 = 2
 * ```
 */
export const sigLinearDecayToOne = defineSchedule('sig_linear_decay_to_one', () => ({
  value: (initial, t, total) => initial + (t * (1 - initial)) / total,
}));
