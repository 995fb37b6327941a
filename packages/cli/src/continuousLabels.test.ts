import { describe, expect, it } from 'vitest';
import { isSomError } from '@somkit/plugin-api';
import { looksContinuous, refuseContinuousLabels } from './continuousLabels.js';

const numbers = (k: number, f: (i: number) => string): string[] => Array.from({ length: k }, (_, i) => f(i));

describe('looksContinuous', () => {
  it('is true for more than 20 distinct numbers of which at least one is not an integer', () => {
    expect(looksContinuous(numbers(21, (i) => String(i * 1.5)))).toBe(true);
    expect(looksContinuous([...numbers(20, (i) => String(i)), '3.25'])).toBe(true);
    expect(looksContinuous(numbers(300, (i) => (i / 7).toFixed(3)))).toBe(true);
    expect(looksContinuous(numbers(25, (i) => `${i}e-1`))).toBe(true);
  });

  it('is false for 20 values or fewer, integers only (151.0 is one), or any text', () => {
    expect(looksContinuous(numbers(20, (i) => String(i * 0.5)))).toBe(false);
    expect(looksContinuous(numbers(200, (i) => String(i)))).toBe(false);
    expect(looksContinuous(numbers(200, (i) => `${i}.0`))).toBe(false);
    expect(looksContinuous([...numbers(30, (i) => String(i + 0.5)), 'setosa'])).toBe(false);
    expect(looksContinuous(numbers(30, (i) => `class ${i}.5`))).toBe(false);
  });
});

describe('refuseContinuousLabels', () => {
  it('throws ERR_INVALID_INPUT naming the column and suggesting --target', () => {
    let err: unknown;
    try {
      refuseContinuousLabels('train', 'price', numbers(50, (i) => String(i + 0.5)));
    } catch (e) {
      err = e;
    }
    expect(isSomError(err, 'ERR_INVALID_INPUT')).toBe(true);
    expect((err as Error).message).toMatch(/--label-column "price" looks continuous.*50 distinct numbers.*--target price/);
    expect(() => refuseContinuousLabels('train', 'species', ['a', 'b'])).not.toThrow();
    expect(() => refuseContinuousLabels('train', undefined, numbers(50, (i) => String(i + 0.5)))).not.toThrow();
  });
});
