import { isSomError } from '@somkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { codebookToTable } from './codebookToTable.js';
import { fitPreprocessing } from './fitPreprocessing.js';
import { parseTable } from './parseTable.js';

const TRAIN = 'age,color,smoker,y\n20,red,yes,a\n30,blue,no,b\n40,red,yes,a\n50,green,no,b\n';

describe('codebookToTable (fastsom codebook_to_df)', () => {
  it('gives each unit its grid position and its values in original units, with category names and shares', () => {
    const table = parseTable(TRAIN, { labelColumn: 'y' });
    const pp = fitPreprocessing(table);
    // A 2 × 2 "codebook" made of the transformed training rows: it must come back as the rows.
    const { data } = pp.transform(table);
    for (const given of [pp, pp.toJSON()]) {
      const t = codebookToTable(given, { weights: data, units: 4, cols: 2 });
      expect(t.columns).toEqual(['unit', 'row', 'col', 'age', 'color', 'color_share', 'smoker', 'smoker_share']);
      expect(t.rows.map((r) => r.slice(0, 3))).toEqual([[0, 0, 0], [1, 0, 1], [2, 1, 0], [3, 1, 1]]);
      expect(t.rows.map((r) => [Math.round(r[3] as number), r[4], r[5], r[6], r[7]])).toEqual([
        [20, 'red', 1, 'yes', 1],
        [30, 'blue', 1, 'no', 1],
        [40, 'red', 1, 'yes', 1],
        [50, 'green', 1, 'no', 1],
      ]);
    }
  });

  it('a blend of two categories names the larger one with its share', () => {
    const table = parseTable(TRAIN, { labelColumn: 'y' });
    const pp = fitPreprocessing(table);
    const { data, d } = pp.transform(table);
    const mix = Float32Array.from({ length: d }, (_, j) => 0.75 * data[j]! + 0.25 * data[d + j]!); // ¾ row 0 (red), ¼ row 1 (blue)
    const t = codebookToTable(pp, { weights: mix, units: 1, cols: 1 });
    expect(t.rows[0]![3]).toBeCloseTo(22.5, 4);
    expect(t.rows[0]![4]).toBe('red');
    expect(t.rows[0]![5]).toBeCloseTo(0.75, 5);
  });

  it('refuses a missing pipeline and a codebook of other dims', () => {
    expect(() => codebookToTable(undefined, { weights: [1], units: 1, cols: 1 })).toThrow(/trained on a plain matrix/);
    const pp = fitPreprocessing(parseTable(TRAIN, { labelColumn: 'y' }));
    try {
      codebookToTable(pp, { weights: [1, 2], units: 1, cols: 1 });
      expect.unreachable();
    } catch (e) {
      expect(isSomError(e) && e.code).toBe('ERR_SHAPE_MISMATCH');
    }
  });
});
