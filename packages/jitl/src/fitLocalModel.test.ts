import { describe, expect, it } from 'vitest';
import { isSomError } from '@somkit/plugin-api';
import { fitLocalModel } from './index.js';
import { solveLinear } from './solveLinear.js';

describe('fitLocalModel', () => {
  it('recovers an exact linear map with intercept', () => {
    const x = [[0, 0], [1, 0], [0, 1], [2, 3], [-1, 4], [5, -2]];
    const y = x.map(([a, b]) => 2 * a! - 3 * b! + 5);
    const model = fitLocalModel(x, y);
    expect(model.coefficients[0]![0]).toBeCloseTo(2, 5);
    expect(model.coefficients[1]![0]).toBeCloseTo(-3, 5);
    expect(model.intercept[0]).toBeCloseTo(5, 5);
    expect(model.predict([10, 10])[0]).toBeCloseTo(-5, 4);
    expect(model.ridge).toBe(1e-6);
    expect(model.n).toBe(6);
  });

  it('fits several outputs at once from {data, shape} buffers', () => {
    const x = { data: Float32Array.from([0, 1, 2, 3, 4]), shape: [5, 1] as [number, number] };
    const y = { data: Float32Array.from([1, 0, 3, -1, 5, -2, 7, -3, 9, -4]), shape: [5, 2] as [number, number] };
    const model = fitLocalModel(x, y);
    expect(model.outputs).toBe(2);
    const [a, b] = model.predict([10]);
    expect(a).toBeCloseTo(21, 4);
    expect(b).toBeCloseTo(-10, 4);
  });

  it('shrinks the coefficients with a large ridge (not the intercept)', () => {
    const x = [[-1], [0], [1]];
    const y = [-1, 0, 1];
    // Centred: XcᵀXc = 2, XcᵀYc = 2 → w = 2 / (2 + ridge).
    expect(fitLocalModel(x, y, { ridge: 2 }).coefficients[0]![0]).toBeCloseTo(0.5, 12);
    expect(fitLocalModel(x, y, { ridge: 2 }).intercept[0]).toBeCloseTo(0, 12);
  });

  it('with one sample predicts its output', () => {
    const model = fitLocalModel([[1, 2]], [7]);
    expect(model.predict([5, 5])[0]).toBeCloseTo(7, 12);
  });

  it('rejects empty, mismatched, negative-ridge and singular problems', () => {
    const codes: [() => unknown, string][] = [
      [() => fitLocalModel([], []), 'ERR_EMPTY_INPUT'],
      [() => fitLocalModel([[1], [2]], [1]), 'ERR_SHAPE_MISMATCH'],
      [() => fitLocalModel([[1], [2]], [1, 2], { ridge: -1 }), 'ERR_INVALID_CONFIG'],
      // Collinear features (x2 = 2·x1) without a ridge: singular normal equations.
      [() => fitLocalModel([[1, 2], [2, 4], [3, 6]], [1, 2, 3], { ridge: 0 }), 'ERR_INVALID_INPUT'],
      [() => fitLocalModel([[1], [Number.NaN]], [1, 2]), 'ERR_NON_FINITE'],
      [() => fitLocalModel([[1], [2]], [1, 2]).predict([1, 2]), 'ERR_SHAPE_MISMATCH'],
    ];
    for (const [fn, code] of codes) {
      try {
        fn();
        expect.unreachable(code);
      } catch (e) {
        expect(isSomError(e, code as never), `${code}: ${String(e)}`).toBe(true);
      }
    }
  });
});

describe('solveLinear', () => {
  it('solves SPD systems by Cholesky and indefinite ones by pivoted elimination', () => {
    const spd = Float64Array.from([4, 2, 2, 3]);
    expect(Array.from(solveLinear(spd, Float64Array.from([2, 1]), 2, 1)!)).toEqual([0.5, 0]);
    // Symmetric but indefinite: Cholesky fails, elimination succeeds.
    const ind = Float64Array.from([0, 1, 1, 0]);
    expect(Array.from(solveLinear(ind, Float64Array.from([3, 4]), 2, 1)!)).toEqual([4, 3]);
    expect(solveLinear(Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 1]), 2, 1)).toBeUndefined();
  });
});
