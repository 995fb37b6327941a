import { defineSchedule } from '@somkit/plugin-api';
import { experimentalPhases } from './experimentalPhases.js';

/**
 * The learning rate of fastsom's default `ExperimentalSomTrainer`, registry name
 * `'experimental_lr'`: three phases of ~16 % (at least one epoch), 50 % and ~34 % of the epochs (see
 * `'experimental_sigma'`) with α constant in each: α0, α0/2, α0/6. (fastsom also computes a
 * batch-size schedule, bs, bs/2, bs/6, that it never applies; so does somkit: none.)
 *
 * ```ts
 * experimentalLr().value(0.6, 0, 25);  // 0.6 (epochs 0–3)
 * experimentalLr().value(0.6, 4, 25);  // 0.3 (epochs 4–15)
 * experimentalLr().value(0.6, 24, 25); // 0.1 (epochs 16–24)
 * ```
 */
export const experimentalLr = defineSchedule('experimental_lr', () => ({
  value: (initial, t, total) => {
    const [p1, p2] = experimentalPhases(total);
    return t < p1 ? initial : t < p1 + p2 ? initial / 2 : initial / 6;
  },
}));
