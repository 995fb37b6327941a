import { defineSchedule } from '@somkit/plugin-api';
import { linspaceAt } from './linspaceAt.js';

/**
 * σ of two-phase training (fastsom's `TwoPhaseSomTrainer`), registry name `'two_phase_sigma'`.
 * The first max(1, ⌊T/2⌋) epochs (rough ordering) go linearly from σ0 to max(σ0/6, 1), the rest (fine
 * tuning) from max(σ0/12, 1) to max(σ0/25, 1), endpoints included. Pair it with `'two_phase_lr'`.
 *
 * ```ts
 * twoPhaseSigma().value(12, 0, 10); // 12
 * twoPhaseSigma().value(12, 4, 10); // 2 (= 12/6, end of rough ordering)
 * twoPhaseSigma().value(12, 9, 10); // 1
 * ```
 */
export const twoPhaseSigma = defineSchedule('two_phase_sigma', () => ({
  value: (initial, t, total) => {
    const rough = Math.max(1, Math.floor(total / 2));
    return t < rough
      ? linspaceAt(initial, Math.max(initial / 6, 1), rough, t)
      : linspaceAt(Math.max(initial / 12, 1), Math.max(initial / 25, 1), total - rough, t - rough);
  },
}));
