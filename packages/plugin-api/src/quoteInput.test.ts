import { describe, expect, it } from 'vitest';
import { quoteInput, QUOTE_LIMIT } from './quoteInput.js';

describe('quoteInput', () => {
  it('quotes short strings whole', () => {
    expect(quoteInput('abc')).toBe("'abc'");
    expect(quoteInput(12)).toBe('12');
    expect(quoteInput(Number.NaN)).toBe('NaN');
    expect(quoteInput(undefined)).toBe('nothing');
    expect(quoteInput({ a: 1 })).toBe('{"a":1}');
  });

  it('cuts a 10 MB cell to the limit and says how long it was', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const q = quoteInput(big);
    expect(q.length).toBeLessThan(QUOTE_LIMIT + 40);
    expect(q).toBe(`'${'x'.repeat(QUOTE_LIMIT)}…' (${big.length} characters)`);
  });

  it("keeps JSON string quoting in 'json' style", () => {
    expect(quoteInput('a"b', undefined, 'json')).toBe('"a\\"b"');
    expect(quoteInput('y'.repeat(100), 5, 'json')).toBe('"yyyyy…" (100 characters)');
  });

  it('survives values too deep or circular to stringify', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(quoteInput(deep)).toBe('an array of length 1');
    const c: Record<string, unknown> = {};
    c.self = c;
    expect(quoteInput(c)).toBe('an object');
  });
});
