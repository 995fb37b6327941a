import { defineSchedule } from '@somkit/plugin-api';

/**
 * Asymptotic decay θ0 / (1 + t/(T/2)), registry name `'asymptotic_decay'` (TorchSOM/MiniSom).
 * Falls to about θ0/3 at the last epoch; usable for the learning rate and σ.
 *
 * ```ts
 * asymptoticDecay().value(1, 2, 3); // 1 / (1 + 2/1.5) = 0.428571…
 * ```
 */
export const asymptoticDecay = defineSchedule('asymptotic_decay', () => ({
  value: (initial, t, total) => initial / (1 + t / (total / 2)),
}));
