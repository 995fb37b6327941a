import type { SchedulePlugin } from '@somkit/plugin-api';
import { SomError } from '@somkit/plugin-api';
import { experimentalLr } from './experimentalLr.js';
import { experimentalSigma } from './experimentalSigma.js';
import { lrLinearDecayToZero } from './lrLinearDecayToZero.js';
import { sigLinearDecayToFloor } from './sigLinearDecayToFloor.js';
import { twoPhaseLr } from './twoPhaseLr.js';
import { twoPhaseSigma } from './twoPhaseSigma.js';

/** fastsom's trainers by name: `'linear'`, `'two_phase'`, `'experimental'`. */
export type TrainerName = 'linear' | 'two_phase' | 'experimental';

/** The trainer names {@link trainerSchedules} accepts. */
export const TRAINER_NAMES: readonly TrainerName[] = Object.freeze(['linear', 'two_phase', 'experimental']);

/**
 * A fastsom trainer as the pair of schedules that makes it, to spread into SOM options:
 * `'linear'` (`LinearDecaySomTrainer`: `lr_linear_decay_to_zero` + `sig_linear_decay_to_floor`),
 * `'two_phase'` (`two_phase_lr` + `two_phase_sigma`), `'experimental'` (fastsom's default:
 * `experimental_lr` + `experimental_sigma`). In a config file name the two schedules instead,
 * e.g. `{"lrDecay": "two_phase_lr", "sigmaDecay": "two_phase_sigma"}`.
 *
 * ```ts
 * const som = new SOM({ rows: 10, cols: 10, dims: 4, rule: 'minibatch', ...trainerSchedules('two_phase') });
 * ```
 * @throws SomError `ERR_INVALID_CONFIG` for another name
 */
export function trainerSchedules(name: TrainerName): { lrDecay: SchedulePlugin; sigmaDecay: SchedulePlugin } {
  switch (name) {
    case 'linear':
      return { lrDecay: lrLinearDecayToZero(), sigmaDecay: sigLinearDecayToFloor() };
    case 'two_phase':
      return { lrDecay: twoPhaseLr(), sigmaDecay: twoPhaseSigma() };
    case 'experimental':
      return { lrDecay: experimentalLr(), sigmaDecay: experimentalSigma() };
    default:
      throw new SomError('ERR_INVALID_CONFIG', `trainer: expected one of ${TRAINER_NAMES.map((n) => `'${n}'`).join(', ')}, got ${JSON.stringify(name)}. To fix: use one of those names, or pass lrDecay and sigmaDecay yourself.`, { details: { field: 'trainer' } });
  }
}
