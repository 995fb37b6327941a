import { describe, expect, it } from 'vitest';
import { samePartition } from './samePartition.js';

describe('samePartition', () => {
  it('samePartition: equal up to renumbering, noise must match', () => {
    expect(samePartition([0, 0, 1, 2], [2, 2, 0, 1])).toBe(true);
    expect(samePartition([0, 0, 1], [0, 1, 1])).toBe(false);
    expect(samePartition([0, 1, 1], [0, 0, 0])).toBe(false);
    expect(samePartition([0, -1, 1], [1, -1, 0])).toBe(true);
    expect(samePartition([0, -1], [0, 1])).toBe(false);
    expect(samePartition([0], [0, 0])).toBe(false);
  });
});
