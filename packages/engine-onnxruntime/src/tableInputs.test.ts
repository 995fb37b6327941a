import { Grid, gridOffsets } from '@somkit/core';
import { describe, expect, it } from 'vitest';
import { scrambledTable, tableOf } from './kernels.fixture.js';
import { loadOrt, type OrtModule } from './ortRuntime.js';
import { runLength, tableInputs, WINDOW_ELEMENTS } from './tableInputs.js';

const ort = loadOrt() as OrtModule;

describe('tableInputs', () => {
  it("the fixture's tables are core's: same base, offset and squared distances as gridOffsets(grid) on every topology", () => {
    for (const topology of ['rectangular', 'hexagonal'] as const) {
      for (const pbc of [false, true]) {
        const core = gridOffsets(new Grid({ rows: 4, cols: 6, topology, pbc }));
        // sigma² = ½: the fixture's values are exp(−d²).
        const t = tableOf({ rows: 4, cols: 6, topology, pbc, sigma: Math.SQRT1_2 });
        expect([...t.base]).toEqual([...core.base]);
        expect([...t.offset]).toEqual([...core.offset]);
        expect([...t.values]).toEqual([...Float32Array.from(core.d2, (d2) => Math.exp(-d2))]);
      }
    }
  });

  it('finds the runs of consecutive offsets: one per grid row on core tables, 1 when there are none', () => {
    expect(runLength(tableOf({ rows: 4, cols: 8 }).offset)).toBe(8);
    expect(runLength(tableOf({ rows: 5, cols: 1 }).offset)).toBe(5);
    expect(runLength(Int32Array.of(0, 1, 2, 3, 10, 11, 20, 21))).toBe(2);
    expect(runLength(Int32Array.of(0, 1, 2, 5, 6, 9))).toBe(1);
    expect(runLength(scrambledTable(tableOf({ rows: 4, cols: 8 }), 1).table.offset)).toBe(1);
  });

  it('reads core tables as windows (L = cols, or a divisor under the 8 M bound) and others element by element', () => {
    const layout = (t: ReturnType<typeof tableOf>) => {
      const i = tableInputs(ort, t);
      return [i.layout, i.width, Object.keys(i.feeds).sort().join(',')];
    };
    expect(layout(tableOf({ rows: 4, cols: 8 }))).toEqual(['windows', 8, 'BASE,RUNS,WINDOWS']);
    expect(layout(tableOf({ rows: 100, cols: 100, topology: 'hexagonal', pbc: true }))).toEqual(['windows', 100, 'BASE,RUNS,WINDOWS']);
    // 200 × 200: 399² table values · 200 > 8 M → L = 50; hexagonal (twice the values) → 25.
    expect(layout(tableOf({ rows: 200, cols: 200 }))).toEqual(['windows', 50, 'BASE,RUNS,WINDOWS']);
    expect(layout(tableOf({ rows: 200, cols: 200, topology: 'hexagonal' }))).toEqual(['windows', 25, 'BASE,RUNS,WINDOWS']);
    expect(2 * 399 * 399 * 25).toBeLessThanOrEqual(WINDOW_ELEMENTS);
    expect(2 * 399 * 399 * 40).toBeGreaterThan(WINDOW_ELEMENTS);
    // Rows shorter than 8 units, or no runs: element by element.
    expect(layout(tableOf({ rows: 4, cols: 6 }))).toEqual(['elements', 1, 'BASE,OFFSET,VALUES']);
    expect(layout(scrambledTable(tableOf({ rows: 4, cols: 8 }), 2).table)).toEqual(['elements', 1, 'BASE,OFFSET,VALUES']);
  });

  it('window row i holds values[i … i + L) and RUNS the offsets that start each run', () => {
    const t = tableOf({ rows: 2, cols: 8, topology: 'hexagonal' });
    const i = tableInputs(ort, t);
    const windows = i.feeds.WINDOWS!.data as Float32Array;
    expect(i.feeds.WINDOWS!.dims).toEqual([t.values.length, 8]);
    for (let p = 0; p + 8 <= t.values.length; p++) expect([...windows.subarray(p * 8, p * 8 + 8)]).toEqual([...t.values.subarray(p, p + 8)]);
    expect([...(i.feeds.RUNS!.data as Int32Array)]).toEqual([t.offset[0], t.offset[8]]);
    // Copies: the table's arrays are the caller's views.
    expect((i.feeds.BASE!.data as Int32Array).buffer).not.toBe(t.base.buffer);
  });
});
