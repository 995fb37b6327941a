import { describe, expect, it } from 'vitest';
import { imputeFromMap, imputeSettings } from './imputeFromMap.js';

const N = Number.NaN;

describe('imputeFromMap', () => {
  // Rows 0–2 map to unit 0, row 3 to unit 1; unit 0 is nearest to unit 1 and vice versa.
  const x = Float32Array.from([1, 10, 2, 20, 3, N, 100, 1000].concat([]));
  const d = 2;
  const top = Int32Array.from([0, 1, 0, 1, 0, 1, 1, 0]);
  const w = Float32Array.from([2, 15, 100, 1000]);

  it("'unit' copies the BMU's codebook value into each hole and nothing else", () => {
    const out = imputeFromMap(x, 4, d, top, 2, w, 2, imputeSettings({ method: 'unit' }));
    expect(Array.from(out)).toEqual([1, 10, 2, 20, 3, 15, 100, 1000]);
  });

  it("'blend' mixes the unit value with the mean of the nearest donors observing the column", () => {
    // Row 2 (3, NaN): donors by |x0 − 3| over the common column: row 1 (2) at 1, row 0 (1) at 2, row 3 (100).
    const out = imputeFromMap(x, 4, d, top, 2, w, 2, imputeSettings({ neighbors: 2, unitWeight: 0.25 }));
    expect(out[5]).toBeCloseTo(0.25 * 15 + 0.75 * ((20 + 10) / 2), 5);
    expect(Array.from(out.subarray(0, 5))).toEqual([1, 10, 2, 20, 3]);
  });

  it('a hole no donor observes gets the unit value', () => {
    const y = Float32Array.from([1, N, 2, N]);
    const out = imputeFromMap(y, 2, d, Int32Array.from([0, 0]), 1, Float32Array.from([5, 7]), 1, imputeSettings());
    expect(Array.from(out)).toEqual([1, 7, 2, 7]);
  });

  it('refuses bad options with what it expected', () => {
    expect(() => imputeSettings({ neighbors: 0 })).toThrow(/neighbors: expected an integer ≥ 1/);
    expect(() => imputeSettings({ method: 'mean' as never })).toThrow(/method: expected 'blend' or 'unit'/);
    expect(() => imputeSettings({ neighbours: 3 } as never)).toThrow(/only method, neighbors, unitWeight, candidates/);
  });
});
