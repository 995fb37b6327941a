import { describe, expect, it } from 'vitest';
import { distinctCodes, expandCodes } from './gridCodes.js';

describe('distinctCodes / expandCodes', () => {
  it('codes every value by its distinct value (first-appearance order) and expands back bit for bit', () => {
    const x = Float32Array.of(4, 0, 4, 2.5, -0, 0, 1e-40, 2.5, 1e-40);
    const codes = new Int32Array(x.length);
    const values = distinctCodes(x, codes);
    expect([...values]).toEqual([4, 0, 2.5, -0, 1e-40].map(Math.fround));
    expect([...codes]).toEqual([0, 1, 0, 2, 3, 1, 4, 2, 4]);
    const back = expandCodes(values, codes);
    expect(back.every((v, i) => Object.is(v, x[i]))).toBe(true);
  });

  it('grows past its first table (thousands of distinct values) and matches a Map', () => {
    const x = Float32Array.from({ length: 50_000 }, (_, i) => ((i * 7919) % 3001) / 7);
    const codes = new Int32Array(x.length);
    const values = distinctCodes(x, codes);
    const ref = new Map<number, number>();
    x.forEach((v) => ref.has(v) || ref.set(v, ref.size));
    expect(values.length).toBe(ref.size);
    x.forEach((v, i) => expect(codes[i]).toBe(ref.get(v)));
    expect([...expandCodes(values, codes)]).toEqual([...x]);
  });

  it('expands a subnormal kernel tail unchanged (bit copy, no float conversion)', () => {
    const values = Float32Array.of(1, 1e-42, 0);
    const out = expandCodes(values, Int32Array.of(1, 0, 2, 1));
    expect([...out]).toEqual([Math.fround(1e-42), 1, 0, Math.fround(1e-42)]);
  });
});
