import { defineSchedule } from '@somkit/plugin-api';

/**
 * Inverse learning-rate decay α0 · γ/(γ + t) with γ = T/100, registry name
 * `'lr_inverse_decay_to_zero'` (TorchSOM/MiniSom). Falls to about α0/100 at the last epoch.
 *
 * ```ts
 * lrInverseDecayToZero().value(1, 2, 3); // 0.03 / (0.03 + 2)
 * ```
 */
export const lrInverseDecayToZero = defineSchedule('lr_inverse_decay_to_zero', () => ({
  value: (initial, t, total) => {
    const gamma = total / 100;
    return (initial * gamma) / (gamma + t);
  },
}));
