import { describe, expect, it } from 'vitest';
import { Rng } from './Rng.js';

describe('Rng', () => {
  it('is reproducible from a seed and uniform-ish', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(new Rng(8).next()).not.toBe(new Rng(7).next());
  });
  it('permutation is a permutation', () => {
    const p = new Rng(1).permutation(100);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
