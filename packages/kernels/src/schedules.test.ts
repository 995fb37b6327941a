import { describe, expect, it } from 'vitest';
import { isSomError, type SchedulePlugin } from '@somkit/plugin-api';
import { asymptoticDecay } from './asymptoticDecay.js';
import { constant } from './constant.js';
import { exponentialDecay } from './exponentialDecay.js';
import { lrInverseDecayToZero } from './lrInverseDecayToZero.js';
import { lrLinearDecayToZero } from './lrLinearDecayToZero.js';
import { sigInverseDecayToOne } from './sigInverseDecayToOne.js';
import { sigLinearDecayToOne } from './sigLinearDecayToOne.js';

// Schedules are plain JS numbers (no tensors), so they run once rather than per backend.

describe('schedules', () => {
  it('carry kind, name and apiVersion', () => {
    const all: [SchedulePlugin, string][] = [
      [asymptoticDecay(), 'asymptotic_decay'],
      [lrInverseDecayToZero(), 'lr_inverse_decay_to_zero'],
      [lrLinearDecayToZero(), 'lr_linear_decay_to_zero'],
      [sigInverseDecayToOne(), 'sig_inverse_decay_to_one'],
      [sigLinearDecayToOne(), 'sig_linear_decay_to_one'],
      [exponentialDecay(), 'exponential'],
      [constant(), 'constant'],
    ];
    for (const [s, name] of all) {
      expect(s.kind).toBe('schedule');
      expect(s.name).toBe(name);
      expect(s.apiVersion).toBe(2);
      expect(Object.isFrozen(s)).toBe(true);
    }
  });

  it('match the anchor cases with θ0 = 1, t = 2, T = 3', () => {
    expect(asymptoticDecay().value(1, 2, 3)).toBeCloseTo(1 / (1 + 2 / 1.5), 12);
    expect(asymptoticDecay().value(1, 2, 3)).toBeCloseTo(0.428571428571, 10);
    expect(lrInverseDecayToZero().value(1, 2, 3)).toBeCloseTo(0.03 / (0.03 + 2), 12);
    expect(lrLinearDecayToZero().value(1, 2, 3)).toBeCloseTo(1 / 3, 12);
    expect(sigLinearDecayToOne().value(1, 2, 3)).toBe(1);
    expect(sigInverseDecayToOne().value(1, 2, 3)).toBe(1);
  });

  it('follow the closed forms for other values', () => {
    expect(asymptoticDecay().value(2, 0, 10)).toBe(2);
    expect(asymptoticDecay().value(3, 9, 10)).toBeCloseTo(3 / (1 + 9 / 5), 12);
    expect(lrInverseDecayToZero().value(0.5, 0, 100)).toBe(0.5);
    expect(lrInverseDecayToZero().value(0.5, 99, 100)).toBeCloseTo(0.5 / 100, 12);
    expect(lrLinearDecayToZero().value(0.8, 9, 10)).toBeCloseTo(0.08, 12);
    expect(sigInverseDecayToOne().value(5, 2, 3)).toBeCloseTo(5 / (1 + (2 * 4) / 3), 12);
    expect(sigLinearDecayToOne().value(4, 2, 3)).toBeCloseTo(2, 12);
    expect(sigLinearDecayToOne().value(4, 0, 3)).toBe(4);
  });

  it('exponential goes from θ0 to final (default θ0/100) at t = T − 1, θ0 for T = 1', () => {
    const e = exponentialDecay();
    expect(e.value(1, 0, 3)).toBe(1);
    expect(e.value(1, 2, 3)).toBeCloseTo(0.01, 12);
    expect(e.value(5, 1, 3)).toBeCloseTo(0.5, 12);
    expect(e.value(7, 0, 1)).toBe(7);
    const f = exponentialDecay({ final: 0.5 });
    expect(f.options).toEqual({ final: 0.5 });
    expect(f.value(4, 0, 3)).toBe(4);
    expect(f.value(4, 1, 3)).toBeCloseTo(Math.SQRT2, 12);
    expect(f.value(4, 2, 3)).toBeCloseTo(0.5, 12);
    expect(f.value(4, 0, 1)).toBe(4);
    // Monotone decreasing in t.
    const vals = Array.from({ length: 20 }, (_, t) => f.value(4, t, 20));
    vals.slice(1).forEach((v, i) => expect(v).toBeLessThan(vals[i]!));
  });

  it('exponential rejects a non-positive final with ERR_INVALID_CONFIG', () => {
    for (const final of [0, -1, Number.NaN]) {
      let err: unknown;
      try {
        exponentialDecay({ final });
      } catch (e) {
        err = e;
      }
      expect(isSomError(err, 'ERR_INVALID_CONFIG')).toBe(true);
    }
  });

  it('constant returns the initial value', () => {
    expect(constant().value(0.5, 7, 10)).toBe(0.5);
    expect(constant().value(3, 0, 1)).toBe(3);
  });
});
