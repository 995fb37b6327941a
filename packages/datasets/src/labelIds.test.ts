import { describe, expect, it } from 'vitest';
import { labelIds } from './labelIds.js';
import { parseCsv } from './parseCsv.js';

describe('labelIds', () => {
  it('keeps canonical integers as ids', () => {
    expect(labelIds(['0', '1', '2', '1', '-1'])).toEqual({ labels: Int32Array.from([0, 1, 2, 1, -1]) });
  });

  it('007, 7 and +7 are three classes, kept as written (issue 17)', () => {
    expect(labelIds(['007', '7', '+7', '7'])).toEqual({ labels: Int32Array.from([0, 1, 2, 1]), labelNames: ['007', '7', '+7'] });
    expect(labelIds(['-0', '0']).labelNames).toEqual(['-0', '0']);
    expect(labelIds(['01', '02']).labelNames).toEqual(['01', '02']);
    expect(labelIds(['3000000000']).labelNames).toEqual(['3000000000']); // outside int32
  });

  it('parseCsv applies the rule', () => {
    const t = parseCsv('x,y\n1,007\n2,7\n3,+7\n4,7\n', { labelColumn: 'y' });
    expect(t.labelNames).toEqual(['007', '7', '+7']);
    expect(Array.from(t.labels ?? [])).toEqual([0, 1, 2, 1]);
  });
});
