import { defineSchedule } from '@somkit/plugin-api';

/**
 * Inverse σ decay σ0 / (1 + t·(σ0 − 1)/T), registry name `'sig_inverse_decay_to_one'`
 * (TorchSOM/MiniSom). Tends to 1 as t approaches T; σ0 = 1 stays 1.
 *
 * ```ts
 * sigInverseDecayToOne().value(5, 2, 3); // 5 / (1 + 2·4/3)
 * ```
 */
export const sigInverseDecayToOne = defineSchedule('sig_inverse_decay_to_one', () => ({
  value: (initial, t, total) => initial / (1 + (t * (initial - 1)) / total),
}));
