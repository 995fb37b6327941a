/**
 * Side-effect entry: registers the cosine-annealing schedule under its name, so configs and model
 * files can say `lrDecay: 'somkit-schedule-cosine/cosine_annealing'`.
 *
 * ```ts
 * import 'somkit-schedule-cosine/register';
 * new SOM({ rows: 10, cols: 10, dims: 4, sigmaDecay: 'somkit-schedule-cosine/cosine_annealing' });
 * ```
 */
import { registry } from '@somkit/plugin-api';
import { cosineAnnealing, type CosineAnnealingOptions } from './cosineAnnealing.js';

registry.register('schedule', 'somkit-schedule-cosine/cosine_annealing', cosineAnnealing, { source: 'somkit-schedule-cosine' });

declare module '@somkit/plugin-api' {
  interface ScheduleNames {
    'somkit-schedule-cosine/cosine_annealing': CosineAnnealingOptions | undefined;
  }
}
