import { defineSchedule } from '@somkit/plugin-api';

/**
 * Constant schedule: the initial value at every epoch, registry name `'constant'`.
 *
 * ```ts
 * constant().value(0.5, 7, 10); // 0.5
 * ```
 */
export const constant = defineSchedule('constant', () => ({
  value: (initial) => initial,
}));
