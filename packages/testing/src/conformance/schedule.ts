import type { SchedulePlugin } from '@somkit/plugin-api';
import { describe, it } from 'vitest';
import { checkMetadata, fail } from './util.js';

/** Options of {@link runScheduleConformance}. */
export interface ScheduleConformanceOptions {
  /** Title of the `describe` block (default `schedule conformance: <name>`). */
  readonly title?: string;
  /** Initial values to try (default [0.5, 1, 5]). */
  readonly initials?: readonly number[];
  /** Epoch counts to try (default [1, 2, 10, 100]). */
  readonly totals?: readonly number[];
  /**
   * `false` for a documented exception to value(initial, 0, T) = initial (a warm-up schedule,
   * say); the check is then skipped with that note.
   */
  readonly startsAtInitial?: boolean;
  /** `false` for a schedule that may reach 0 or below before T; skips the positivity check. */
  readonly positive?: boolean;
  /** Relative tolerance of value(initial, 0, T) = initial (default 1e-9). */
  readonly tol?: number;
}

function* cases(opts: ScheduleConformanceOptions): Generator<[initial: number, total: number]> {
  for (const initial of opts.initials ?? [0.5, 1, 5]) for (const total of opts.totals ?? [1, 2, 10, 100]) yield [initial, total];
}

/** The checks behind {@link runScheduleConformance}, one per test; each throws on failure. */
export const scheduleChecks = {
  metadata(p: SchedulePlugin): void {
    checkMetadata('schedule', p);
    if (typeof p.value !== 'function') fail(`schedule '${p.name}'`, 'has no value() function');
  },

  startsAtInitial(p: SchedulePlugin, opts: ScheduleConformanceOptions = {}): void {
    const tol = opts.tol ?? 1e-9;
    for (const [initial, total] of cases(opts)) {
      const v = p.value(initial, 0, total);
      if (!(Math.abs(v - initial) <= tol * Math.abs(initial))) fail(`schedule '${p.name}'`, `value(${initial}, 0, ${total}) = ${v}, expected ${initial}`);
    }
  },

  finite(p: SchedulePlugin, opts: ScheduleConformanceOptions = {}): void {
    for (const [initial, total] of cases(opts)) {
      for (let t = 0; t < total; t++) {
        const v = p.value(initial, t, total);
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(`schedule '${p.name}'`, `value(${initial}, ${t}, ${total}) = ${String(v)}; values must be finite numbers`);
      }
    }
  },

  positive(p: SchedulePlugin, opts: ScheduleConformanceOptions = {}): void {
    for (const [initial, total] of cases(opts)) {
      if (initial <= 0) continue;
      for (let t = 0; t < total; t++) {
        const v = p.value(initial, t, total);
        if (!(v > 0)) fail(`schedule '${p.name}'`, `value(${initial}, ${t}, ${total}) = ${v}; a positive initial value must stay positive for t < T`);
      }
    }
  },

  pure(p: SchedulePlugin, opts: ScheduleConformanceOptions = {}): void {
    for (const [initial, total] of cases(opts)) {
      const t = Math.floor(total / 2);
      const a = p.value(initial, t, total);
      const b = p.value(initial, t, total);
      if (!Object.is(a, b)) fail(`schedule '${p.name}'`, `value(${initial}, ${t}, ${total}) returned ${a} then ${b}; schedules must be pure`);
    }
  },
};

/**
 * The conformance suite for a decay schedule, as a vitest `describe` block: metadata,
 * value(initial, 0, T) = initial (unless `opts.startsAtInitial` is false), finite values,
 * positive for a positive initial value over t < T, purity. Schedules are plain numbers, so
 * the backend does not matter.
 *
 * ```ts
 * runScheduleConformance(linearDecay());
 * ```
 */
export function runScheduleConformance(plugin: SchedulePlugin, opts: ScheduleConformanceOptions = {}): void {
  describe(opts.title ?? `schedule conformance: ${plugin.name}`, () => {
    it('is a frozen schedule plugin (kind, name, apiVersion 1 or 2, JSON options)', () => scheduleChecks.metadata(plugin));
    if (opts.startsAtInitial === false) it.skip('value(initial, 0, T) = initial — skipped: documented exception (opts.startsAtInitial is false)', () => undefined);
    else it('value(initial, 0, T) = initial', () => scheduleChecks.startsAtInitial(plugin, opts));
    it('is finite for every 0 ≤ t < T', () => scheduleChecks.finite(plugin, opts));
    if (opts.positive === false) it.skip('stays positive — skipped: opts.positive is false', () => undefined);
    else it('stays positive for a positive initial value over t < T', () => scheduleChecks.positive(plugin, opts));
    it('is pure (same arguments, same value)', () => scheduleChecks.pure(plugin, opts));
  });
}
