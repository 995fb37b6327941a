import { parseTable } from '@somkit/datasets';
import { describe, expect, it } from 'vitest';
import { columnTableHtml, defaultChoices, describeRoles, MAX_DEFAULT_CATEGORIES, readCsv, setRole, type CsvSource } from './columns.js';

// The shape of table the e2e test uploads: an id, numbers on different scales with missing cells,
// a text column with a missing cell, a yes/no column, an integer-coded column and a class column.
const CSV = [
  'id,size,weight,color,member,zip,species',
  'a1,120,0.31,red,yes,101,setosa',
  'a2,NA,0.35,red,no,101,setosa',
  'a3,131,,blue,yes,202,setosa',
  'a4,180,0.82,?,null,303,virginica',
  'a5,175,0.78,green,no,303,virginica',
  'a6,190,0.91,green,yes,202,virginica',
].join('\n');

function source(text = CSV): CsvSource {
  const inferred = parseTable(text);
  return { name: 't.csv', text, inferred, choices: defaultChoices(inferred), scaling: 'zscore' };
}

describe('column table defaults', () => {
  it('ignores an id, keeps numbers, yes/no and few-valued text as features, and takes the last complete text column as the label', () => {
    const src = source();
    const roles = Object.fromEntries([...src.choices].map(([k, v]) => [k, v.role]));
    expect(roles).toEqual({ id: 'ignore', size: 'feature', weight: 'feature', color: 'feature', member: 'feature', zip: 'feature', species: 'label' });
    expect(src.choices.get('id')?.why).toMatch(/id/);
    const { table, pp, transformed } = readCsv(src);
    expect(table.labelNames).toEqual(['setosa', 'virginica']);
    // size, weight, color (3 one-hot dims), member, zip.
    expect(pp.featureNames).toEqual(['size', 'weight', 'color=red', 'color=blue', 'color=green', 'member', 'zip']);
    expect(transformed.missingCells).toBe(4);
    expect(describeRoles(table)).toBe('features size, weight, color (categorical), member (boolean), zip; label species; ignored id');
  });

  it('ignores a column with every cell missing and a text column with too many values', () => {
    const n = MAX_DEFAULT_CATEGORIES + 5;
    const rows = Array.from({ length: n }, (_, i) => `${i},,w${i % (MAX_DEFAULT_CATEGORIES + 1)},${i % 2 ? 'a' : 'b'}`);
    const src = source(['x,empty,word,cls', ...rows].join('\n'));
    expect(Object.fromEntries([...src.choices].map(([k, v]) => [k, v.role]))).toEqual({ x: 'feature', empty: 'ignore', word: 'ignore', cls: 'label' });
  });

  it('re-reads with the chosen roles: one label at most, a forced categorical column, a non-numeric target refused with the parser message', () => {
    const src = source();
    setRole(src, 'color', 'label');
    expect(src.choices.get('species')?.role).toBe('feature');
    expect(() => readCsv(src)).toThrow(/missing label/);
    setRole(src, 'color', 'feature');
    setRole(src, 'species', 'label');
    src.choices.set('zip', { ...src.choices.get('zip')!, categorical: true });
    const { pp } = readCsv(src);
    expect(pp.featureNames.filter((f) => f.startsWith('zip='))).toEqual(['zip=101', 'zip=202', 'zip=303']);
    setRole(src, 'color', 'target');
    expect(() => readCsv(src)).toThrow(/target column "color": expected a number/);
    expect(columnTableHtml(src, undefined)).toContain('<option value="target" selected>');
  });
});
