import { describe, expect, it } from 'vitest';
import { chooseCovariance } from './chooseCovariance.js';

describe('chooseCovariance', () => {
  it('chooseCovariance: full only when each component has more points than its parameters', () => {
    // The digits demo: 196 units, 64 features, k = 3 → 65 units per component, 2,144 parameters.
    expect(chooseCovariance(196, 64, 3)).toBe('diag');
    // iris on 8 × 8: 21 units per component, 4 + 10 = 14 parameters.
    expect(chooseCovariance(64, 4, 3)).toBe('full');
    expect(chooseCovariance(64, 4, 8)).toBe('diag');
  });
});
