import { isSomError, type SomError, type SomErrorCode } from '@somkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { parseTable, type ParseTableOptions } from './parseTable.js';
import { parseCsv } from './parseCsv.js';

function fails(text: string, code: SomErrorCode, opts?: ParseTableOptions): SomError {
  let err: unknown;
  try {
    parseTable(text, opts);
  } catch (e) {
    err = e;
  }
  expect(isSomError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
  return err as SomError;
}

const MIXED = 'age,color,smoker,price,id\n31,red,yes,9.5,a1\nNA,blue,no,12,a2\n40,,YES,?,a3\n22,red,null,7,a4\n';

describe('parseTable', () => {
  it('infers numeric, categorical and boolean columns and counts missing cells', () => {
    const t = parseTable(MIXED);
    expect(t.n).toBe(4);
    expect(t.columns.map((c) => [c.name, c.type, c.role, c.missing])).toEqual([
      ['age', 'numeric', 'feature', 1],
      ['color', 'categorical', 'feature', 1],
      ['smoker', 'boolean', 'feature', 1],
      ['price', 'numeric', 'feature', 1],
      ['id', 'categorical', 'feature', 0],
    ]);
    const [age, color, smoker] = t.columns;
    expect(Array.from(age!.values)).toEqual([31, NaN, 40, 22]);
    expect([age!.min, age!.max]).toEqual([22, 40]);
    expect(color!.categories).toEqual(['red', 'blue']);
    expect(color!.counts).toEqual([2, 1]);
    expect(Array.from(color!.values)).toEqual([0, 1, NaN, 0]);
    expect(smoker!.categories).toEqual(['no', 'yes']);
    expect(Array.from(smoker!.values)).toEqual([1, 0, 1, NaN]);
    expect(Array.from(t.lines)).toEqual([2, 3, 4, 5]);
    expect(t.columns[1]!.text).toEqual(['red', 'blue', '', 'red']);
  });

  it('missing markers are case-insensitive and configurable', () => {
    const t = parseTable('a,b\nna,1\nNULL,2\nnan,?\n-,3\n');
    expect(t.columns[0]!.missing).toBe(3);
    expect(t.columns[0]!.type).toBe('categorical'); // '-' is not missing by default
    const u = parseTable('a,b\n-,1\n2,-\n', { missingValues: ['-'] });
    expect(u.columns.map((c) => [c.type, c.missing])).toEqual([['numeric', 1], ['boolean', 1]]);
    expect(parseTable('a\nNA\n1.5\n', { missingValues: [] }).columns[0]!.type).toBe('categorical');
    fails('a\n1\n', 'ERR_INVALID_INPUT', { missingValues: 'NA' as unknown as string[] });
  });

  it('0/1 and true/false columns are boolean; spellings kept', () => {
    const t = parseTable('a,b,c\n0,True,1\n1,False,1\n');
    expect(t.columns.map((c) => [c.type, c.categories])).toEqual([['boolean', ['0', '1']], ['boolean', ['False', 'True']], ['boolean', ['0', '1']]]);
    expect(parseTable('a\nyes\ntrue\n').columns[0]!.type).toBe('categorical'); // two vocabularies
  });

  it('applies roles: labelColumn, target, ignore, categorical', () => {
    const t = parseTable(MIXED, { labelColumn: 'color', target: 'price', ignore: ['id'], categorical: ['age'], missingValues: ['NA', '?'] });
    expect(t.columns.map((c) => [c.name, c.type, c.role])).toEqual([
      ['age', 'categorical', 'feature'],
      ['color', 'categorical', 'label'],
      ['smoker', 'categorical', 'feature'], // 'null' is not a missing marker here, so not boolean
      ['price', 'numeric', 'target'],
      ['id', 'categorical', 'ignore'],
    ]);
  });

  it('labels follow the labelIds rule; target is numeric with NaN where missing', () => {
    const t = parseTable('x,y,z\n1,007,1.5\n2,7,NA\n3,+7,2\n', { labelColumn: 'y', target: 'z' });
    expect(t.labelNames).toEqual(['007', '7', '+7']);
    expect(Array.from(t.labels!)).toEqual([0, 1, 2]);
    expect(Array.from(t.target!)).toEqual([1.5, NaN, 2]);
    const u = parseTable('x,y\n1,0\n2,2\n', { labelColumn: 'y' });
    expect(Array.from(u.labels!)).toEqual([0, 2]);
    expect(u.labelNames).toBeUndefined();
  });

  it('a numeric-only CSV gives the values of parseCsv', () => {
    const text = 'a,b,c\n1,2,3\n4.5,-6,7e-1\n';
    const t = parseTable(text);
    const p = parseCsv(text);
    const data = new Float32Array(t.n * t.columns.length);
    t.columns.forEach((c, j) => c.values.forEach((v, i) => (data[i * 3 + j] = v)));
    expect(data).toEqual(p.data);
    expect(t.columns.map((c) => c.name)).toEqual(p.featureNames);
  });

  it('unknown role columns → ERR_INVALID_INPUT naming the column and listing the header (capped)', () => {
    for (const opts of [{ labelColumn: 'nope' }, { target: 'nope' }, { ignore: ['age', 'nope'] }, { categorical: ['nope'] }]) {
      const e = fails(MIXED, 'ERR_INVALID_INPUT', opts);
      expect(e.message).toContain('"nope"');
      expect(e.message).toContain('"age", "color", "smoker", "price", "id"');
    }
    const wide = `${Array.from({ length: 30 }, (_, j) => `c${j}`).join(',')}\n${Array.from({ length: 30 }, () => '1').join(',')}\n`;
    const e = fails(wide, 'ERR_INVALID_INPUT', { ignore: ['x'] });
    expect(e.message).toContain('"c19", … (10 more)');
    expect(e.message).not.toContain('"c20"');
    // ignoreIfPresent does not care
    expect(parseTable(MIXED, { ignoreIfPresent: ['nope', 'id'] }).columns[4]!.role).toBe('ignore');
  });

  it('a column in two roles, or a duplicate name → ERR_INVALID_INPUT', () => {
    expect(fails(MIXED, 'ERR_INVALID_INPUT', { labelColumn: 'id', ignore: ['id'] }).message).toContain('both labelColumn and ignore');
    expect(fails('a,b,a\n1,2,3\n', 'ERR_INVALID_INPUT').message).toContain('"a" appears twice');
  });

  it('a non-numeric target → ERR_PARSE naming line, column and value', () => {
    const e = fails(MIXED, 'ERR_PARSE', { target: 'color' });
    expect(e.message).toMatch(/Line 2, target column "color": expected a number, got "red"/);
  });

  it('a missing label → ERR_PARSE; inf in a numeric column → ERR_NON_FINITE', () => {
    expect(fails('x,y\n1,a\n2,NA\n', 'ERR_PARSE', { labelColumn: 'y' }).message).toContain('Line 3');
    expect(fails('x\n1\ninf\n', 'ERR_NON_FINITE').message).toContain('Line 3, column "x"');
  });

  it('keeps the CSV errors of parseCsv', () => {
    fails('', 'ERR_EMPTY_INPUT');
    fails('a,b\n', 'ERR_EMPTY_INPUT');
    expect(fails('a,b\n1,2\n3\n', 'ERR_SHAPE_MISMATCH').message).toContain('Line 3');
    fails('a\n"1\n', 'ERR_PARSE');
  });

  it('an all-missing column is read (numeric, every cell missing); fitting it is the error', () => {
    const t = parseTable('a,b\n1,\n2,NA\n');
    expect(t.columns[1]).toMatchObject({ type: 'numeric', missing: 2 });
  });
});
