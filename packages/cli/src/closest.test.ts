import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from './closest.js';

describe('closest', () => {
  it('finds typos, swapped letters and unique prefixes', () => {
    expect(closest('euclidan', ['euclidean', 'sqeuclidean', 'cosine'])).toBe('euclidean');
    expect(closest('gausian', ['gaussian', 'bubble'])).toBe('gaussian');
    expect(closest('trian', ['train', 'eval'])).toBe('train');
    expect(closest('epoch', ['epochs', 'engine'])).toBe('epochs');
    expect(closest('batch', ['batch-size', 'backend'])).toBe('batch-size');
    expect(closest('WASM', ['wasm', 'cpu'])).toBe('wasm');
  });

  it('suggests nothing when nothing is close', () => {
    expect(closest('hamming', ['euclidean', 'cosine', 'manhattan', 'chebyshev'])).toBeUndefined();
    expect(closest('x', ['epochs'])).toBeUndefined();
    expect(closest('', ['a'])).toBeUndefined();
    expect(didYouMean('zzz', ['train'])).toBe('');
    expect(didYouMean('rows', ['rows', 'cols'], '--')).toBe(' Did you mean --rows?');
  });
});
