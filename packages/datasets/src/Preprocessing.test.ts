import { isSomError, type SomErrorCode } from '@somkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { fitPreprocessing } from './fitPreprocessing.js';
import { Preprocessing } from './Preprocessing.js';
import { parseTable } from './parseTable.js';
import { tableFromMatrix } from './tableFromMatrix.js';

function code(fn: () => unknown): SomErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    if (isSomError(e)) return e.code;
    throw e;
  }
  return undefined;
}

const TRAIN = 'age,color,smoker,y\n20,red,yes,a\n30,blue,no,b\n40,red,yes,a\nNA,green,,b\n';

describe('fitPreprocessing + transform', () => {
  it('z-scores numeric columns (population sd), one-hots categorical ones with the weight, NaN where missing', () => {
    const table = parseTable(TRAIN, { labelColumn: 'y' });
    const pp = fitPreprocessing(table);
    expect(pp.featureNames).toEqual(['age', 'color=red', 'color=blue', 'color=green', 'smoker']);
    expect(pp.columns).toEqual([{ name: 'age', type: 'numeric' }, { name: 'color', type: 'categorical' }, { name: 'smoker', type: 'boolean' }]);
    const { data, n, d, missingCells, unknown } = pp.transform(table);
    expect([n, d, missingCells]).toEqual([4, 5, 2]);
    expect(unknown).toEqual({});
    const sd = Math.sqrt(200 / 3);
    // p = (1/2, 1/4, 1/4) → Σp² = 3/8 → w = 1/√(5/8)
    const w = Math.fround(1 / Math.sqrt(5 / 8));
    const row = (i: number): number[] => Array.from(data.subarray(i * d, (i + 1) * d));
    expect(row(0)[0]).toBeCloseTo(-10 / sd, 6);
    expect(row(0).slice(1, 4)).toEqual([w, 0, 0]);
    expect(row(3)[0]).toBeNaN();
    expect(row(3).slice(1, 4)).toEqual([0, 0, w]);
    expect(row(3)[4]).toBeNaN();
    // smoker: p(yes) = 2/3, sd = √(2/9)
    expect(row(0)[4]).toBeCloseTo((1 - 2 / 3) / Math.sqrt(2 / 9), 6);
  });

  it('the categorical weight makes the expected squared difference of two random rows 2, like a z-scored column', () => {
    const cats = ['a', 'a', 'a', 'b', 'b', 'c', 'd', 'a', 'b', 'c'];
    const nums = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const table = parseTable(`x,k\n${cats.map((c, i) => `${nums[i]},${c}`).join('\n')}\n`);
    const pp = fitPreprocessing(table);
    const { data, n, d } = pp.transform(table);
    const mean2 = (dims: number[]): number => {
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (const k of dims) s += (data[i * d + k]! - data[j * d + k]!) ** 2;
      return s / (n * n);
    };
    expect(mean2([0])).toBeCloseTo(2, 5);
    expect(mean2([1, 2, 3, 4])).toBeCloseTo(2, 5);
  });

  it('caps the weight for near-constant columns; constant numeric columns give 0, not NaN', () => {
    const rows = Array.from({ length: 100 }, (_, i) => `${i === 0 ? 'rare' : 'common'},5,${i}`);
    const table = parseTable(`k,c,x\n${rows.join('\n')}\n`);
    const pp = fitPreprocessing(table);
    const k = pp.toJSON().columns[0]!;
    expect(k.type === 'categorical' && k.weight).toBe(4); // uncapped: 1/√(1 − 0.9802) ≈ 7.1
    const { data, d } = pp.transform(table);
    expect(data[1]).toBe(0);
    expect(Array.from(data).some(Number.isNaN)).toBe(false);
    expect(fitPreprocessing(table, { maxCategoricalWeight: 10 }).toJSON().columns[0]).toMatchObject({ weight: expect.closeTo(7.107, 2) });
    expect(d).toBe(4);
  });

  it('minmax and none scalings', () => {
    const table = parseTable('x,k\n2,a\n4,b\n6,a\n');
    const mm = fitPreprocessing(table, { scaling: 'minmax' }).transform(table);
    expect(Array.from(mm.data).map((v) => Number(v.toFixed(6)))).toEqual([0, 0.707107, 0, 0.5, 0, 0.707107, 1, 0.707107, 0]);
    const none = fitPreprocessing(table, { scaling: 'none' }).transform(table);
    expect(Array.from(none.data)).toEqual([2, 1, 0, 4, 0, 1, 6, 1, 0]);
  });

  it('a category seen only at transform time is missing and counted; other data types are checked', () => {
    const pp = fitPreprocessing(parseTable(TRAIN, { labelColumn: 'y' }));
    const test = parseTable('age,color,smoker,y\n25,purple,no,a\n35,red,yes,b\n50,purple,no,a\n', { labelColumn: 'y' });
    const r = pp.transform(test);
    expect(r.unknown).toEqual({ color: 2 });
    expect(r.missingCells).toBe(2);
    expect(Array.from(r.data.subarray(1, 4))).toEqual([NaN, NaN, NaN]);
    // text in a numeric column, another boolean vocabulary
    expect(code(() => pp.transform(parseTable('age,color,smoker\nold,red,yes\n')))).toBe('ERR_PARSE');
    expect(code(() => pp.transform(parseTable('age,color,smoker\n1,red,maybe\n')))).toBe('ERR_PARSE');
    // the label column of training may be present without being named
    expect(pp.transform(parseTable('age,color,smoker,y\n1,red,yes,zz\n')).d).toBe(5);
  });

  it('wrong columns → ERR_SHAPE_MISMATCH with the expected features', () => {
    const pp = fitPreprocessing(parseTable(TRAIN, { labelColumn: 'y' }));
    let msg = '';
    try {
      pp.transform(parseTable('age,color,smoker,extra\n1,red,yes,3\n'));
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/expects 3 features \(age, color, smoker\) but the data has 4 feature columns: "extra" is not in the model/);
    expect(code(() => pp.transform(parseTable('age,color\n1,red\n')))).toBe('ERR_SHAPE_MISMATCH');
  });

  it('an all-missing feature column → ERR_INVALID_INPUT naming it', () => {
    let err: unknown;
    try {
      fitPreprocessing(parseTable('a,b\n1,\n2,NA\n'));
    } catch (e) {
      err = e;
    }
    expect(isSomError(err, 'ERR_INVALID_INPUT')).toBe(true);
    expect((err as Error).message).toContain('Feature column "b" has no values: all 2 cells are missing');
  });

  it('works on a matrix table (.npy)', () => {
    const t = tableFromMatrix(Float32Array.from([1, 2, NaN, 4, 5, 6]), 3, 2);
    const pp = fitPreprocessing(t);
    const r = pp.transform(t);
    expect(r.missingCells).toBe(1);
    expect(pp.featureNames).toEqual(['0', '1']);
    expect(r.data[0]).toBeCloseTo(-1, 6);
  });
});

describe('Preprocessing.inverse', () => {
  it('maps codebook vectors back to original units', () => {
    const table = parseTable(TRAIN, { labelColumn: 'y' });
    const pp = fitPreprocessing(table);
    const { data, d } = pp.transform(table);
    const first = pp.inverse(data.subarray(0, d));
    expect(first.map((c) => c.text)).toEqual(['20', 'red', 'yes']);
    expect(first[1]).toMatchObject({ type: 'categorical', value: 'red', share: 1 });
    expect(first[2]).toMatchObject({ type: 'boolean', value: true });
    const w = pp.toJSON().columns[1]!;
    const weight = w.type === 'categorical' ? w.weight : 1;
    // a blend: 0.6 red, 0.3 blue, 0.1 green (+ a negative component clamped to 0)
    const v = [0, 0.6 * weight, 0.3 * weight, -0.1, 0];
    const cells = pp.inverse(v);
    expect(cells[1]).toMatchObject({ value: 'red', share: expect.closeTo(2 / 3, 6), shares: [expect.closeTo(2 / 3, 6), expect.closeTo(1 / 3, 6), 0] });
    expect(cells[0]?.value).toBeCloseTo(30, 5);
    // matrix form
    const rows = pp.inverse({ data, shape: [4, d] });
    expect(rows).toHaveLength(4);
    expect(rows[1]!.map((c) => c.text)).toEqual(['30', 'blue', 'no']);
    expect(code(() => pp.inverse([1, 2]))).toBe('ERR_SHAPE_MISMATCH');
  });

  it('all-non-positive one-hot components give uniform shares and the most frequent category', () => {
    const pp = fitPreprocessing(parseTable('k\nb\na\na\n'));
    expect(pp.inverse([-1, -1])[0]).toMatchObject({ value: 'a', share: 0.5 });
  });
});

describe('Preprocessing JSON', () => {
  it('round-trips', () => {
    const pp = fitPreprocessing(parseTable(TRAIN, { labelColumn: 'y' }));
    const json = JSON.parse(JSON.stringify(pp.toJSON()));
    const again = Preprocessing.fromJSON(json);
    expect(again.toJSON()).toEqual(pp.toJSON());
    expect(again.excluded).toEqual(['y']);
    const t = parseTable(TRAIN, { labelColumn: 'y' });
    expect(again.transform(t).data).toEqual(pp.transform(t).data);
    expect(Preprocessing.fromJSON(JSON.stringify(json)).dims).toBe(5);
  });

  it('remembers the label and target columns in roles; pipelines saved without roles still load', () => {
    const pp = fitPreprocessing(parseTable(TRAIN, { labelColumn: 'y' }));
    expect(pp.roles).toEqual({ label: 'y' });
    expect(pp.toJSON().roles).toEqual({ label: 'y' });
    const { roles: _roles, ...old } = pp.toJSON();
    const legacy = Preprocessing.fromJSON(old);
    expect(legacy.roles).toEqual({});
    expect(legacy.toJSON()).not.toHaveProperty('roles');
    // A tool's own fields beside the pipeline are ignored, not kept.
    expect(Preprocessing.fromJSON({ ...old, predictor: { any: 1 } }).toJSON()).toEqual(old);
    const none = fitPreprocessing(parseTable(TRAIN, { ignore: ['y'] }));
    expect(none.roles).toEqual({});
  });

  it('rejects bad JSON with ERR_MODEL_FORMAT naming the field', () => {
    const good = fitPreprocessing(parseTable(TRAIN, { labelColumn: 'y' })).toJSON();
    const cases: Array<[unknown, RegExp]> = [
      [null, /preprocessing: expected an object/],
      [{ ...good, format: 'x' }, /preprocessing\.format/],
      [{ ...good, version: 2 }, /preprocessing\.version/],
      [{ ...good, scaling: 'robust' }, /preprocessing\.scaling/],
      [{ ...good, columns: [] }, /preprocessing\.columns: expected a non-empty array/],
      [{ ...good, columns: [{ ...good.columns[0], scale: 0 }] }, /columns\[0\]\.scale: expected a finite number > 0/],
      [{ ...good, columns: [{ ...good.columns[1], categories: ['a', 'a', 'b'] }] }, /columns\[0\]\.categories/],
      [{ ...good, columns: [{ ...good.columns[0], type: 'text' }] }, /columns\[0\]\.type/],
      [{ ...good, roles: 'y' }, /preprocessing\.roles: expected an object/],
      [{ ...good, roles: { label: 'x' } }, /preprocessing\.roles\.label: expected the name of an excluded column/],
      [{ ...good, roles: { target: 3 } }, /preprocessing\.roles\.target/],
      ['{not json', /does not parse/],
    ];
    for (const [json, re] of cases) {
      let err: unknown;
      try {
        Preprocessing.fromJSON(json);
      } catch (e) {
        err = e;
      }
      expect(isSomError(err, 'ERR_MODEL_FORMAT'), String(re)).toBe(true);
      expect((err as Error).message).toMatch(re);
    }
  });
});
