import { describe, expect, it } from 'vitest';
import { minimumImage } from './minimumImage.js';

describe('minimumImage', () => {
  it('wraps offsets into [−period/2, period/2], keeping them congruent', () => {
    expect(minimumImage(9, 10)).toBe(-1);
    expect(minimumImage(-9, 10)).toBe(1);
    expect(minimumImage(3, 10)).toBe(3);
    expect(minimumImage(0, 10)).toBe(0);
    for (let d = -25; d <= 25; d += 0.5) {
      const m = minimumImage(d, 7 * Math.sqrt(3) / 2);
      expect(Math.abs(m)).toBeLessThanOrEqual((7 * Math.sqrt(3)) / 4 + 1e-12);
      expect(Math.abs(Math.round((d - m) / (7 * Math.sqrt(3) / 2)) * (7 * Math.sqrt(3) / 2) - (d - m))).toBeLessThan(1e-9);
    }
  });
});
