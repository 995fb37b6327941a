import { describe, expect, it } from 'vitest';
import { isJson } from './Json.js';

describe('isJson', () => {
  it('accepts plain JSON and refuses non-finite numbers, class instances and functions', () => {
    expect(isJson({ a: [1, 'x', null, true, { b: 2 }] })).toBe(true);
    expect(isJson({ a: [1, Number.NaN] })).toBe(false);
    expect(isJson({ a: new Date() })).toBe(false);
    expect(isJson({ a: () => 1 })).toBe(false);
  });

  it('checks 10⁵ nested arrays without a stack overflow', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(isJson(JSON.parse(text))).toBe(true);
    const bad = '['.repeat(100_000) + '{"x":1}' + ']'.repeat(100_000);
    const v = JSON.parse(bad) as unknown;
    expect(isJson(v)).toBe(true);
  });
});
