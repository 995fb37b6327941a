/**
 * Side-effect entry: registers every built-in distance, neighbourhood kernel and schedule under
 * its name, and types those names for `distance: 'cosine'`-style configs.
 *
 * ```ts
 * import '@somkit/kernels/register';
 * registry.resolve('distance', 'cosine');
 * ```
 */
import { registry } from '@somkit/plugin-api';
import { builtinDistances, builtinNeighborhoods, builtinSchedules } from './builtins.js';
import type { ExponentialDecayOptions } from './exponentialDecay.js';
import type { MinkowskiOptions } from './minkowski.js';
import type { SigLinearDecayToFloorOptions } from './sigLinearDecayToFloor.js';

const source = '@somkit/kernels';

for (const [name, factory] of Object.entries(builtinDistances)) registry.register('distance', name, factory, { source });
for (const [name, factory] of Object.entries(builtinNeighborhoods)) registry.register('neighborhood', name, factory, { source });
for (const [name, factory] of Object.entries(builtinSchedules)) registry.register('schedule', name, factory, { source });

declare module '@somkit/plugin-api' {
  interface DistanceNames {
    euclidean: undefined;
    sqeuclidean: undefined;
    cosine: undefined;
    manhattan: undefined;
    chebyshev: undefined;
    minkowski: MinkowskiOptions;
  }
  interface NeighborhoodNames {
    gaussian: undefined;
    mexican_hat: undefined;
    bubble: undefined;
    triangle: undefined;
    rhomb: undefined;
    square: undefined;
  }
  interface ScheduleNames {
    asymptotic_decay: undefined;
    lr_inverse_decay_to_zero: undefined;
    lr_linear_decay_to_zero: undefined;
    sig_inverse_decay_to_one: undefined;
    sig_linear_decay_to_one: undefined;
    sig_linear_decay_to_floor: SigLinearDecayToFloorOptions | undefined;
    two_phase_lr: undefined;
    two_phase_sigma: undefined;
    experimental_lr: undefined;
    experimental_sigma: undefined;
    exponential: ExponentialDecayOptions | undefined;
    constant: undefined;
  }
}
