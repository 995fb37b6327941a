import { defineSchedule } from '@somkit/plugin-api';

/**
 * Linear learning-rate decay α0 · (1 − t/T), registry name `'lr_linear_decay_to_zero'`
 * (TorchSOM/MiniSom). The last epoch (t = T − 1) gets α0/T, never exactly 0.
 *
 * ```ts
 * lrLinearDecayToZero().value(1, 2, 3); // 1/3
 * ```
 */
export const lrLinearDecayToZero = defineSchedule('lr_linear_decay_to_zero', () => ({
  value: (initial, t, total) => initial * (1 - t / total),
}));
