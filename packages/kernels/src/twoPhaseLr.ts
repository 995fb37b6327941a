import { defineSchedule } from '@somkit/plugin-api';
import { linspaceAt } from './linspaceAt.js';

/**
 * The learning rate of two-phase training (Kohonen's rough ordering, then fine tuning; fastsom's
 * `TwoPhaseSomTrainer`, after SOMPY), registry name `'two_phase_lr'`. The first max(1, ⌊T/2⌋) epochs go
 * linearly from α0 to α0/10 (both included), the rest from α0/20 to α0/100. Pair it with
 * `'two_phase_sigma'`. (At least one rough epoch, so the schedule starts at α0 as every schedule
 * does; fastsom's one-epoch run has none.)
 *
 * ```ts
 * twoPhaseLr().value(1, 0, 10); // 1 (rough ordering starts at α0)
 * twoPhaseLr().value(1, 5, 10); // 0.05 (fine tuning starts at α0/20)
 * ```
 */
export const twoPhaseLr = defineSchedule('two_phase_lr', () => ({
  value: (initial, t, total) => {
    const rough = Math.max(1, Math.floor(total / 2));
    return t < rough
      ? linspaceAt(initial, initial / 10, rough, t)
      : linspaceAt(initial / 20, initial / 100, total - rough, t - rough);
  },
}));
