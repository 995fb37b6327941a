import { describe, expect, it } from 'vitest';
import type { MapData } from '@somkit/plugin-api';
import { categoricalColor, NOISE_COLOR } from '@somkit/geometry';
import { categoryLegend, MAX_LEGEND_ENTRIES } from './categoryLegend.js';
import { renderClassificationMap } from './renderClassificationMap.js';
import { renderClusterMap } from './renderClusterMap.js';
import { checkWellFormed, parseCells } from '@somkit/testing';

const legend = (svg: string): string[] => [...svg.matchAll(/class="legend-entry" data-label="([^"]*)"/g)].map((m) => m[1]!);

function classification(values: readonly number[], rows: number, cols: number): MapData {
  return { type: 'classification', values: Float32Array.from(values), rows, cols, topology: 'rectangular', pbc: false, label: 'Class' };
}

describe('categorical legends', () => {
  it('labels 10/20/30: one entry per class present, no names on ids that do not occur', () => {
    const m = classification([10, 20, 30, 10, Number.NaN, 30], 2, 3);
    const svg = renderClassificationMap(m);
    expect(legend(svg)).toEqual(['class 10', 'class 20', 'class 30']);
    checkWellFormed(svg);
    // The old CLI passed classNames ['10', '20', '30'] (sorted values by position): names land on ids 0..2,
    // which are not on the map, so they are not listed.
    expect(legend(renderClassificationMap(m, ['10', '20', '30']))).toEqual(['class 10', 'class 20', 'class 30']);
    // Names that do index the ids are used.
    const names = Array.from({ length: 31 }, (_, i) => `n${i}`);
    expect(legend(renderClassificationMap(m, names))).toEqual(['n10', 'n20', 'n30']);
    const cells = parseCells(svg);
    expect(cells[0]!.fill).toBe(categoricalColor(10));
    expect(cells[4]!.empty).toBe(true);
    expect(new Set([cells[0]!.fill, cells[1]!.fill, cells[2]!.fill]).size).toBe(3);
  });

  it('classification: a real class −1 is a class (coloured, named), not noise; empty units stay NaN', () => {
    const m = classification([-1, 0, 1, -1, Number.NaN, 1], 2, 3);
    const svg = renderClassificationMap(m);
    expect(legend(svg)).toEqual(['class -1', 'class 0', 'class 1']);
    expect(svg).not.toContain('noise');
    const cells = parseCells(svg);
    expect(cells[0]!.fill).not.toBe(NOISE_COLOR);
    expect(cells[4]!.empty).toBe(true);
    // Each class its own colour (by rank among the ids present: −1, 0, 1).
    expect([cells[0]!.fill, cells[1]!.fill, cells[2]!.fill]).toEqual([categoricalColor(0), categoricalColor(1), categoricalColor(2)]);
    expect(svg).toMatch(/Unit 0 \(row 0, col 0\)\nClass: class -1/);
    // The cluster map keeps −1 as noise.
    const cl = renderClusterMap(Int32Array.from([-1, 0, 1, -1, 0, 1]), { rows: 2, cols: 3, topology: 'rectangular' });
    expect(legend(cl)).toEqual(['cluster 0', 'cluster 1', 'noise']);
    expect(parseCells(cl)[0]!.fill).toBe(NOISE_COLOR);
  });

  it('many classes: the largest by units, then "… and M more"; the figure stays narrow', () => {
    // 10,000 distinct labels on a 100 × 100 map; class 5 wins 3 units, class 7 wins 2.
    const values = Array.from({ length: 10_000 }, (_, i) => i);
    values[1] = 5;
    values[2] = 5;
    values[3] = 7;
    const m = classification(values, 100, 100);
    const svg = renderClassificationMap(m);
    checkWellFormed(svg);
    const entries = legend(svg);
    expect(entries).toHaveLength(MAX_LEGEND_ENTRIES);
    expect(entries.slice(0, 3)).toEqual(['class 5', 'class 7', 'class 0']);
    const more = [...svg.matchAll(/class="legend-more" data-label="([^"]*)"/g)].map((x) => x[1]);
    expect(more).toEqual([`… and ${9997 - MAX_LEGEND_ENTRIES} more`]);
    const width = Number(/<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
    expect(width).toBeLessThan(1000);
    // Units of unlisted classes are still coloured.
    expect(parseCells(svg).every((c) => !c.empty)).toBe(true);
    expect(legend(renderClassificationMap(m, undefined, { maxLegendEntries: 3 }))).toEqual(['class 5', 'class 7', 'class 0']);
    expect(() => renderClassificationMap(m, undefined, { maxLegendEntries: 0 })).toThrow(/maxLegendEntries must be an integer ≥ 1/);
  });

  it('categoryLegend: entries, colours and hidden count as data', () => {
    const key = categoryLegend([2, 2, 0, -1, Number.NaN], { noise: true, names: ['a', 'b', 'c'], unnamed: (id) => `cluster ${id}` });
    expect(key.entries).toEqual([
      { label: 'a', color: categoricalColor(0) },
      { label: 'c', color: categoricalColor(2) },
      { label: 'noise', color: NOISE_COLOR },
    ]);
    expect(key.hidden).toBe(0);
    expect(key.color(-1)).toBe(NOISE_COLOR);
    const bounded = categoryLegend([0, 1, 2, 2], { noise: false, unnamed: String, maxEntries: 1 });
    expect(bounded.entries.map((e) => e.label)).toEqual(['2', '… and 2 more']);
    expect(bounded.hidden).toBe(2);
  });
});
