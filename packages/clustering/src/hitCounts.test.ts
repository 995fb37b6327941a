import { describe, expect, it } from 'vitest';
import { isSomError } from '@somkit/plugin-api';
import { hitCounts } from './index.js';

describe('hitCounts', () => {
  it('counts the samples of each unit', () => {
    expect(Array.from(hitCounts(Int32Array.of(0, 2, 2, 3, 2), 5))).toEqual([1, 0, 3, 1, 0]);
    expect(Array.from(hitCounts([], 2))).toEqual([0, 0]);
  });

  it('rejects indices outside the map and a bad unit count', () => {
    for (const [bmus, units] of [[[0, 5], 5], [[-1], 5], [[0.5], 5], [[0], 0]] as const) {
      let err: unknown;
      try {
        hitCounts(bmus, units);
      } catch (e) {
        err = e;
      }
      expect(isSomError(err, 'ERR_INVALID_INPUT') || isSomError(err, 'ERR_INVALID_CONFIG'), String(err)).toBe(true);
    }
  });
});
