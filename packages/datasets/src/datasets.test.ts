import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isSomError } from '@somkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { datasetNames, type DatasetName } from './datasetNames.js';
import { digits } from './digits.js';
import { iris } from './iris.js';
import { loadDataset } from './loadDataset.js';
import { wine } from './wine.js';

/** The shared CSV copies: $SOMKIT_SHARED_DATASETS, `<repo>/shared/datasets`, or `shared/` beside the checkout. */
const sharedDir = [
  process.env['SOMKIT_SHARED_DATASETS'],
  fileURLToPath(new URL('../../../shared/datasets/', import.meta.url)),
  fileURLToPath(new URL('../../../../shared/datasets/', import.meta.url)),
].find((p): p is string => p !== undefined && existsSync(`${p}/iris.csv`));

const EXPECTED = {
  iris: { n: 150, d: 4, classes: 3, counts: [50, 50, 50], sum: 2078.69999640435, first: [5.1, 3.5, 1.4, 0.2], last: [5.9, 3, 5.1, 1.8], lastTarget: 2 },
  wine: { n: 178, d: 13, classes: 3, counts: [59, 71, 48], sum: 159975.2959959805, first: [14.23, 1.71, 2.43, 15.6, 127], last: [14.13, 4.1, 2.74, 24.5, 96], lastTarget: 2 },
  digits: { n: 1797, d: 64, classes: 10, counts: [178, 182, 177, 183, 181, 182, 181, 179, 174, 180], sum: 561718, first: [0, 0, 5, 13, 9], last: [0, 0, 10, 14, 8], lastTarget: 8 },
} as const;

const f32 = (xs: readonly number[]): number[] => xs.map((x) => Math.fround(x));
const firstMismatch = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
};
const sum = (a: Float32Array): number => a.reduce((s, x) => s + x, 0);

describe('embedded datasets', () => {
  for (const name of datasetNames) {
    const e = EXPECTED[name];
    it(`${name}: shape, classes, known cells and sum`, () => {
      const ds = loadDataset(name);
      expect(ds.name).toBe(name);
      expect([ds.n, ds.d]).toEqual([e.n, e.d]);
      expect(ds.data).toBeInstanceOf(Float32Array);
      expect(ds.target).toBeInstanceOf(Int32Array);
      expect(ds.data.length).toBe(e.n * e.d);
      expect(ds.target.length).toBe(e.n);
      expect(ds.featureNames).toHaveLength(e.d);
      expect(ds.classNames).toHaveLength(e.classes);
      const counts = new Array<number>(e.classes).fill(0);
      for (const t of ds.target) counts[t] = (counts[t] ?? 0) + 1;
      expect(counts).toEqual(e.counts);
      expect(Array.from(ds.data.subarray(0, e.first.length))).toEqual(f32(e.first));
      const lastRow = ds.data.subarray((e.n - 1) * e.d);
      expect(Array.from(lastRow.subarray(0, e.last.length))).toEqual(f32(e.last));
      expect(ds.target[0]).toBe(0);
      expect(ds.target[e.n - 1]).toBe(e.lastTarget);
      expect(sum(ds.data)).toBeCloseTo(e.sum, 6);
      expect(ds.license.length).toBeGreaterThan(0);
      expect(ds.source).toMatch(/archive\.ics\.uci\.edu/);
      expect(Object.isFrozen(ds)).toBe(true);
    });
  }

  it('names the classes as documented', () => {
    expect(iris().classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(wine().classNames).toEqual(['class_0', 'class_1', 'class_2']);
    expect(digits().classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(digits().featureNames[9]).toBe('pixel_1_1');
  });

  it('decodes once and caches', () => {
    expect(iris()).toBe(iris());
    expect(loadDataset('digits')).toBe(digits());
    expect(loadDataset('wine')).toBe(wine());
  });

  it('lists its names', () => {
    expect(datasetNames).toEqual(['iris', 'wine', 'digits']);
  });

  it('rejects unknown names with ERR_INVALID_INPUT listing the valid ones', () => {
    for (const bad of ['mnist', 'toString', '__proto__', '']) {
      let err: unknown;
      try {
        loadDataset(bad as DatasetName);
      } catch (e) {
        err = e;
      }
      expect(isSomError(err, 'ERR_INVALID_INPUT')).toBe(true);
      expect((err as Error).message).toContain(`'iris', 'wine', 'digits'`);
    }
  });
});

describe.skipIf(sharedDir === undefined)(`embedded datasets equal the shared CSVs (${sharedDir ?? 'shared/datasets not found; skipped'})`, () => {
  for (const name of datasetNames) {
    it(`${name}: every value, target and feature name`, () => {
      // An independent, naive reading of the simple shared CSVs.
      const lines = readFileSync(`${sharedDir}/${name}.csv`, 'utf8').trim().split(/\r?\n/);
      const header = (lines[0] ?? '').split(',');
      const rows = lines.slice(1).map((l) => l.split(',').map(Number));
      const ds = loadDataset(name);
      expect([...ds.featureNames, 'target']).toEqual(header);
      expect(ds.n).toBe(rows.length);
      const data = Float32Array.from(rows.flatMap((r) => r.slice(0, -1)));
      const target = Int32Array.from(rows.map((r) => r[r.length - 1] ?? -1));
      expect(ds.data.length).toBe(data.length);
      expect(firstMismatch(ds.data, data)).toBe(-1);
      expect(firstMismatch(ds.target, target)).toBe(-1);
      expect(sum(ds.data)).toBe(sum(data));
    });
  }
});
