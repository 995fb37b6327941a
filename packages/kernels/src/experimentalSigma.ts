import { defineSchedule } from '@somkit/plugin-api';
import { experimentalPhases } from './experimentalPhases.js';
import { linspaceAt } from './linspaceAt.js';

/**
 * σ of fastsom's default `ExperimentalSomTrainer`, registry name `'experimental_sigma'`. Phase 1
 * (max(1, round(0.16·T)) epochs) keeps σ0; phase 2 (round(0.5·T) epochs) goes linearly from σ0 to 1,
 * both included; phase 3 (the rest) keeps 1. Pair it with `'experimental_lr'`.
 *
 * ```ts
 * experimentalSigma().value(5, 3, 25);  // 5
 * experimentalSigma().value(5, 15, 25); // 1 (end of phase 2)
 * ```
 */
export const experimentalSigma = defineSchedule('experimental_sigma', () => ({
  value: (initial, t, total) => {
    const [p1, p2] = experimentalPhases(total);
    return t < p1 ? initial : t < p1 + p2 ? linspaceAt(initial, 1, p2, t - p1) : 1;
  },
}));
