import { describe, expect, it } from 'vitest';
import { temperature } from './temperature.js';

describe('temperature (DESOM exponential schedule)', () => {
  it('starts at Tmax, ends at Tmin, and follows Tmax·(Tmin/Tmax)^(i/(I−1))', () => {
    expect(temperature(0, 10, 1, 0.5)).toBe(1);
    expect(temperature(9, 10, 1, 0.5)).toBeCloseTo(0.5, 12);
    for (let i = 0; i < 10; i++) expect(temperature(i, 10, 2, 0.1)).toBeCloseTo(2 * Math.pow(0.05, i / 9), 12);
    expect(temperature(3, 7, 10, 0.1)).toBeCloseTo(1, 12); // geometric midpoint
  });

  it('is monotone non-increasing, constant when Tmin = Tmax, and Tmax for a single iteration', () => {
    let prev = Infinity;
    for (let i = 0; i < 50; i++) {
      const t = temperature(i, 50, 1, 0.5);
      expect(t).toBeLessThanOrEqual(prev);
      prev = t;
    }
    expect(temperature(5, 10, 0.7, 0.7)).toBeCloseTo(0.7, 12);
    expect(temperature(0, 1, 1, 0.5)).toBe(1);
    expect(temperature(99, 10, 1, 0.5)).toBeCloseTo(0.5, 12); // clamped
  });
});
