import { isSomError, type SomError, type SomErrorCode } from '@somkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { parseCsv, type ParseCsvOptions } from './parseCsv.js';

/** Runs parseCsv and returns the SomError it throws, checking its code. */
function fails(text: string, code: SomErrorCode, opts?: ParseCsvOptions): SomError {
  let err: unknown;
  try {
    parseCsv(text, opts);
  } catch (e) {
    err = e;
  }
  expect(isSomError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
  return err as SomError;
}

describe('parseCsv: tables', () => {
  it('parses a plain table with a header', () => {
    const t = parseCsv('a,b,c\n1,2,3\n4.5,-6,7e-1\n');
    expect(t).toEqual({ data: Float32Array.from([1, 2, 3, 4.5, -6, 0.7]), n: 2, d: 3, featureNames: ['a', 'b', 'c'] });
    expect('labels' in t).toBe(false);
    expect('labelNames' in t).toBe(false);
  });

  it('trims whitespace around fields and names', () => {
    const t = parseCsv(' a , b \n  1 ,\t2\n+3, .5 \n');
    expect(t.featureNames).toEqual(['a', 'b']);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 0.5]);
  });

  it('handles quoted fields with delimiters, "" escapes and line breaks', () => {
    const text = '"x, first","say ""hi""",label\n"1", 2 ,"a, b"\n3,"4","multi\nline ""q"""\n';
    const t = parseCsv(text, { labelColumn: 'label' });
    expect(t.featureNames).toEqual(['x, first', 'say "hi"']);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4]);
    expect(t.labelNames).toEqual(['a, b', 'multi\nline "q"']);
    expect(Array.from(t.labels ?? [])).toEqual([0, 1]);
  });

  it('handles CRLF line ends and a trailing empty line', () => {
    const t = parseCsv('a,b\r\n1,2\r\n3,4\r\n\r\n');
    expect([t.n, t.d]).toEqual([2, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4]);
    expect(parseCsv('a,b\n1,2').n).toBe(1); // no final newline
    expect(parseCsv('\uFEFFa,b\n1,2\n').featureNames).toEqual(['a', 'b']); // BOM
  });

  it('keeps integer labels as ids', () => {
    const t = parseCsv('f1,target,f2\n1,2,3\n4,0,6\n7,-1,9\n', { labelColumn: 'target' });
    expect(t.featureNames).toEqual(['f1', 'f2']);
    expect(Array.from(t.data)).toEqual([1, 3, 4, 6, 7, 9]);
    expect(t.labels).toEqual(Int32Array.from([2, 0, -1]));
    expect(t.labelNames).toBeUndefined();
  });

  it('numbers string labels in order of first appearance', () => {
    const t = parseCsv('x,species\n1,virginica\n2,setosa\n3,virginica\n4,versicolor\n', { labelColumn: 'species' });
    expect(t.labels).toEqual(Int32Array.from([0, 1, 0, 2]));
    expect(t.labelNames).toEqual(['virginica', 'setosa', 'versicolor']);
  });

  it('treats mixed or non-integer labels as text', () => {
    const t = parseCsv('x,y\n1,1\n2,1.5\n3,1\n', { labelColumn: 'y' });
    expect(t.labelNames).toEqual(['1', '1.5']);
    expect(Array.from(t.labels ?? [])).toEqual([0, 1, 0]);
  });

  it('supports other delimiters and header: false', () => {
    const t = parseCsv('1;2;a\n3;4;b\n', { delimiter: ';', header: false, labelColumn: '2' });
    expect(t.featureNames).toEqual(['0', '1']);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4]);
    expect(t.labelNames).toEqual(['a', 'b']);
    const tsv = parseCsv('a\tb\n1\t2\n', { delimiter: '\t' });
    expect(Array.from(tsv.data)).toEqual([1, 2]);
  });

  it('stores float32 values', () => {
    expect(parseCsv('a\n0.1\n').data[0]).toBe(Math.fround(0.1));
  });
});

describe('parseCsv: errors', () => {
  it('non-numeric cell → ERR_PARSE naming line, column, value and the fix', () => {
    const e = fails('a,b,name\n1,2,3\n4,5,bob\n', 'ERR_PARSE');
    expect(e.message).toContain('Line 3');
    expect(e.message).toContain('"name"');
    expect(e.message).toContain('"bob"');
    expect(e.message).toContain('Remove or encode non-numeric columns, or pass --label-column NAME');
    expect(e.details).toMatchObject({ line: 3, column: 'name', value: 'bob' });
  });

  it('empty cell → ERR_PARSE', () => {
    const e = fails('a,b\n1,2\n3,\n', 'ERR_PARSE');
    expect(e.message).toMatch(/Line 3, column "b" \(field 2\): expected a number, got an empty cell/);
  });

  it('counts lines as in the file, across CRLF and quoted line breaks', () => {
    expect(fails('a,b\r\n1,2\r\n3,x\r\n', 'ERR_PARSE').message).toContain('Line 3,');
    const e = fails('a,"b\nc"\n1,2\n3,x\n', 'ERR_PARSE');
    expect(e.message).toContain('Line 4,');
    expect(e.message).toContain('"b\\nc"');
  });

  it('ragged row → ERR_SHAPE_MISMATCH naming line, expected and got', () => {
    const e = fails('a,b,c\n1,2,3\n4,5\n', 'ERR_SHAPE_MISMATCH');
    expect(e.message).toContain('Line 3: expected 3 fields');
    expect(e.message).toContain('got 2');
    expect(fails('a,b\n1,2,3\n', 'ERR_SHAPE_MISMATCH').message).toContain('got 3');
  });

  it('an empty line inside the data is a row, not skipped', () => {
    expect(fails('a,b\n1,2\n\n3,4\n', 'ERR_SHAPE_MISMATCH').message).toContain('Line 3');
    expect(fails('a\n1\n\n3\n', 'ERR_PARSE').message).toContain('Line 3');
    expect(fails('\na,b\n1,2\n', 'ERR_PARSE').message).toContain('Line 1');
  });

  it('unknown label column → ERR_INVALID_INPUT listing the header', () => {
    const e = fails('a,b,target\n1,2,0\n', 'ERR_INVALID_INPUT', { labelColumn: 'label' });
    expect(e.message).toContain('"label" is not a column');
    expect(e.message).toContain('"a", "b", "target"');
  });

  it('ambiguous or sole label column → ERR_INVALID_INPUT', () => {
    expect(fails('y,a,y\n1,2,3\n', 'ERR_INVALID_INPUT', { labelColumn: 'y' }).message).toContain('names 2 columns');
    expect(fails('y\n1\n', 'ERR_INVALID_INPUT', { labelColumn: 'y' }).message).toContain('only column');
  });

  it('empty label → ERR_PARSE', () => {
    expect(fails('a,y\n1,\n', 'ERR_PARSE', { labelColumn: 'y' }).message).toContain('Line 2');
  });

  it('empty file or header only → ERR_EMPTY_INPUT', () => {
    fails('', 'ERR_EMPTY_INPUT');
    fails('\n\n', 'ERR_EMPTY_INPUT');
    fails('a,b,c\n', 'ERR_EMPTY_INPUT');
    fails('a,b,c', 'ERR_EMPTY_INPUT');
    fails('', 'ERR_EMPTY_INPUT', { header: false });
  });

  it('nan / inf / Infinity / float32 overflow → ERR_NON_FINITE naming line and column', () => {
    for (const lit of ['nan', 'NaN', 'inf', '-inf', 'Infinity', '-Infinity', '1e39']) {
      const e = fails(`a,b\n1,2\n3,${lit}\n`, 'ERR_NON_FINITE');
      expect(e.message).toContain('Line 3, column "b"');
      expect(e.message).toContain(`"${lit}"`);
    }
  });

  it('malformed quoting → ERR_PARSE', () => {
    expect(fails('a,b\n"1,2\n', 'ERR_PARSE').message).toContain('Line 2: unterminated');
    expect(fails('a,b\n"1"x,2\n', 'ERR_PARSE').message).toContain('after a closing quote');
  });

  it('does not coerce hex, thousands separators or units', () => {
    for (const v of ['0x10', '1,000', '5cm', '1_000', '--1', '.']) {
      fails(`a\n"${v}"\n`, 'ERR_PARSE');
    }
  });

  it('bad delimiter → ERR_INVALID_INPUT', () => {
    fails('a\n1\n', 'ERR_INVALID_INPUT', { delimiter: '' });
    fails('a\n1\n', 'ERR_INVALID_INPUT', { delimiter: '"' });
    fails('a\n1\n', 'ERR_INVALID_INPUT', { delimiter: ',,' });
  });
});
