import { describe, expect, it } from 'vitest';
import { mergeSummary, summaryHas, summaryKey } from './summaryRows.js';

describe('summary rows', () => {
  const auto = [
    { label: 'Grid', value: '8 × 8 hexagonal, 64 units', aliases: ['map'] },
    { label: 'Quantization error (these samples)', value: '0.41', aliases: ['QE', 'quantization error'] },
    { label: 'Topographic error (these samples)', value: '3 %', aliases: ['TE', 'topographic error'] },
  ];

  it('a caller row replaces the computed row of the same meaning, whatever its spelling', () => {
    const rows = mergeSummary([['dataset', 'iris'], ['QE', '0.4102'], ['te', '0.03'], ['grid', '8 × 8 hexagonal']], auto);
    expect(rows).toEqual([['dataset', 'iris'], ['QE', '0.4102'], ['te', '0.03'], ['grid', '8 × 8 hexagonal']]);
    expect(mergeSummary([['Quantization error', '1']], auto).map(([k]) => k)).toEqual(['Quantization error', 'Grid', 'Topographic error (these samples)']);
    // A qualified caller row is another quantity: both stay.
    expect(mergeSummary([['QE (test set)', '0.5']], auto).map(([k]) => k)).toEqual(['QE (test set)', 'Grid', 'Quantization error (these samples)', 'Topographic error (these samples)']);
    // Without caller rows, every computed row.
    expect(mergeSummary([], auto)).toHaveLength(3);
  });

  it('summaryKey / summaryHas compare by letters and digits only', () => {
    expect(summaryKey('Q.E.')).toBe('qe');
    expect(summaryKey('Epochs trained')).toBe(summaryKey('epochs-trained'));
    expect(summaryHas([['Rule', 'batch-map']], ['rule'])).toBe(true);
    expect(summaryHas([['training time (s)', '1']], ['training'])).toBe(false);
  });
});
