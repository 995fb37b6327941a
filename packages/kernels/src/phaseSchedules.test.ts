import { describe, expect, it } from 'vitest';
import { isSomError } from '@somkit/plugin-api';
import { experimentalLr } from './experimentalLr.js';
import { experimentalPhases } from './experimentalPhases.js';
import { experimentalSigma } from './experimentalSigma.js';
import { lrLinearDecayToZero } from './lrLinearDecayToZero.js';
import { sigLinearDecayToFloor } from './sigLinearDecayToFloor.js';
import { trainerSchedules } from './trainerSchedules.js';
import { twoPhaseLr } from './twoPhaseLr.js';
import { twoPhaseSigma } from './twoPhaseSigma.js';

const curve = (s: { value(i: number, t: number, T: number): number }, initial: number, total: number): number[] =>
  Array.from({ length: total }, (_, t) => Number(s.value(initial, t, total).toFixed(10)));

describe("fastsom's trainers as schedules", () => {
  it("linear: α0·(1 − t/T) and σ0·(1 − t/T) floored at 0.1 (never 0)", () => {
    expect(curve(lrLinearDecayToZero(), 1, 4)).toEqual([1, 0.75, 0.5, 0.25]);
    expect(curve(sigLinearDecayToFloor(), 4, 4)).toEqual([4, 3, 2, 1]);
    expect(sigLinearDecayToFloor().value(0.5, 9, 10)).toBe(0.1);
    expect(sigLinearDecayToFloor({ floor: 1 }).value(5, 9, 10)).toBe(1);
    for (const floor of [0, -1, Number.NaN, Infinity]) {
      try {
        sigLinearDecayToFloor({ floor });
        expect.unreachable();
      } catch (e) {
        expect(isSomError(e) && e.code).toBe('ERR_INVALID_CONFIG');
        expect(String(e)).toMatch(/floor.*> 0/);
      }
    }
  });

  it('two-phase: rough ordering α0→α0/10, σ0→max(σ0/6, 1); fine tuning α0/20→α0/100, max(σ0/12, 1)→max(σ0/25, 1)', () => {
    // numpy.linspace endpoints included, as fastsom's TwoPhaseSomTrainer (5 + 5 epochs).
    expect(curve(twoPhaseLr(), 1, 10)).toEqual([1, 0.775, 0.55, 0.325, 0.1, 0.05, 0.04, 0.03, 0.02, 0.01]);
    expect(curve(twoPhaseSigma(), 24, 10)).toEqual([24, 19, 14, 9, 4, 2, 1.75, 1.5, 1.25, 1]);
    expect(curve(twoPhaseSigma(), 3, 4)).toEqual([3, 1, 1, 1]);
    expect(twoPhaseLr().value(1, 0, 1)).toBe(1); // one epoch starts at α0 (fastsom: int(0.5·1) = 0 rough epochs, α0/20)
  });

  it('experimental: phases round(0.16T), round(0.5T), rest; α0, α0/2, α0/6; σ0, σ0→1, 1', () => {
    expect(experimentalPhases(25)).toEqual([4, 12, 9]);
    expect(experimentalPhases(5)).toEqual([1, 2, 2]); // Python rounds 2.5 to 2
    expect(experimentalPhases(1)).toEqual([1, 0, 0]);
    expect(experimentalPhases(3)).toEqual([1, 2, 0]);
    const lr = curve(experimentalLr(), 0.6, 25);
    expect(lr.slice(0, 4)).toEqual([0.6, 0.6, 0.6, 0.6]);
    expect(lr.slice(4, 16).every((v) => v === 0.3)).toBe(true);
    expect(lr.slice(16).every((v) => v === 0.1)).toBe(true);
    const s = curve(experimentalSigma(), 5, 25);
    expect(s.slice(0, 4)).toEqual([5, 5, 5, 5]);
    expect(s[4]).toBe(5);
    expect(s[15]).toBe(1);
    expect(s[10]).toBeCloseTo(5 - (4 * 6) / 11, 9);
    expect(s.slice(16).every((v) => v === 1)).toBe(true);
  });

  it('trainerSchedules names the pairs; other names are refused', () => {
    expect(Object.values(trainerSchedules('linear')).map((s) => s.name)).toEqual(['lr_linear_decay_to_zero', 'sig_linear_decay_to_floor']);
    expect(Object.values(trainerSchedules('two_phase')).map((s) => s.name)).toEqual(['two_phase_lr', 'two_phase_sigma']);
    expect(Object.values(trainerSchedules('experimental')).map((s) => s.name)).toEqual(['experimental_lr', 'experimental_sigma']);
    expect(() => trainerSchedules('fast' as never)).toThrow(/one of 'linear', 'two_phase', 'experimental'/);
  });
});
