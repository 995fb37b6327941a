import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SOM } from '@somkit/core';
import { iris } from '@somkit/datasets';
import { isSomError } from '@somkit/plugin-api';
import { categoricalColor } from '@somkit/geometry';
import { SomInterpretation } from './SomInterpretation.js';
import { checkWellFormed, parseCells } from '@somkit/testing';

describe('SomInterpretation (iris, 6×7 hexagonal)', () => {
  const ds = iris();
  const data = { data: ds.data, shape: [ds.n, ds.d] as const };
  let som: SOM;
  let interp: SomInterpretation;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    som = new SOM({ rows: 6, cols: 7, dims: ds.d, topology: 'hexagonal', epochs: 8, sigma: 2, init: 'pca', seed: 7 });
    await som.fit(data);
    const before = tf.memory().numTensors;
    interp = await SomInterpretation.fromSom(som, data, { labels: ds.target, featureNames: ds.featureNames, classNames: ds.classNames });
    expect(tf.memory().numTensors, 'tensor leak').toBe(before);
  });
  afterAll(() => som.dispose());

  it('keeps BMUs and hits of the data', () => {
    expect(interp.bmus).toHaveLength(150);
    expect([...interp.hits.values].reduce((a, b) => a + b, 0)).toBe(150);
    expect(interp.codebook.units).toBe(42);
  });

  it('showHitmap: one cell per unit with counts', () => {
    const svg = interp.showHitmap();
    const cells = parseCells(svg);
    expect(cells).toHaveLength(42);
    expect(cells.reduce((s, c) => s + Number(c.value), 0)).toBe(150);
    expect(svg).toContain('class="values"');
    checkWellFormed(svg);
  });

  it('showWeights: PCA of the codebook → RGB cells', () => {
    const svg = interp.showWeights();
    const cells = parseCells(svg);
    expect(cells).toHaveLength(42);
    expect(cells.every((c) => /^#[0-9a-f]{6}$/.test(c.fill))).toBe(true);
    expect(new Set(cells.map((c) => c.fill)).size).toBeGreaterThan(20);
    checkWellFormed(svg);
  });

  it('showFeatureHeatmaps: all features, or the chosen ones', () => {
    const all = interp.showFeatureHeatmaps();
    expect(all.match(/<g class="panel"/g)).toHaveLength(4);
    for (const n of ds.featureNames) expect(all).toContain(n);
    const two = interp.showFeatureHeatmaps([0, 3]);
    expect(two.match(/<g class="panel"/g)).toHaveLength(2);
    expect(parseCells(two)).toHaveLength(84);
  });

  it('showPreds: majority class per unit with a legend of the class names; classes separate', () => {
    const svg = interp.showPreds();
    const legend = [...svg.matchAll(/class="legend-entry" data-label="([^"]*)"/g)].map((x) => x[1]);
    expect(legend).toEqual([...ds.classNames]);
    const cells = parseCells(svg);
    const preds = interp.preds!.values;
    cells.forEach((c) => {
      if (Number.isNaN(preds[c.unit]!)) expect(c.empty).toBe(true);
      else expect(c.fill).toBe(categoricalColor(preds[c.unit]!));
    });
    // Accuracy of the per-unit majority vote on the training data: iris separates well.
    let correct = 0;
    interp.bmus.forEach((b, i) => {
      if (preds[b] === ds.target[i]) correct++;
    });
    expect(correct / 150).toBeGreaterThan(0.85);
    expect(svg).not.toMatch(/NaN/);
  });

  it('showPreds without labels and wrong featureNames → SomError', async () => {
    const plain = await SomInterpretation.fromSom(som, data);
    expect(() => plain.showPreds()).toThrow(/needs labels/);
    await expect(SomInterpretation.fromSom(som, data, { featureNames: ['a'] })).rejects.toSatisfy((e) => isSomError(e, 'ERR_SHAPE_MISMATCH'));
    await expect(SomInterpretation.fromSom(som, data, { labels: [1, 2] })).rejects.toSatisfy((e) => isSomError(e, 'ERR_SHAPE_MISMATCH'));
  });

  describe('showPreds with continuous labels (fastsom show_preds, n_bins)', () => {
    // Petal length (cm): continuous, 1.0 … 6.9.
    const petal = Array.from({ length: ds.n }, (_, i) => ds.data[i * ds.d + 2]!);
    const legendOf = (svg: string): string[] => [...svg.matchAll(/class="legend-entry" data-label="([^"]*)"/g)].map((x) => x[1]!);

    /** numpy-style linear percentile of the sorted values. */
    function quantile(sorted: number[], p: number): number {
      const at = p * (sorted.length - 1);
      const lo = Math.floor(at);
      return lo + 1 < sorted.length ? sorted[lo]! + (sorted[lo + 1]! - sorted[lo]!) * (at - lo) : sorted[lo]!;
    }

    it('bins into nBins quantile bins (default 5): each unit shows its members’ majority bin, the legend the ranges', async () => {
      const cont = await SomInterpretation.fromSom(som, data, { labels: petal });
      const sorted = [...petal].sort((a, b) => a - b);
      for (const nBins of [5, 3]) {
        const svg = nBins === 5 ? cont.showPreds() : cont.showPreds({}, { nBins });
        const legend = legendOf(svg);
        expect(legend).toHaveLength(nBins);
        const edges = Array.from({ length: nBins + 1 }, (_, b) => quantile(sorted, b / nBins));
        const bin = (v: number): number => {
          let b = 0;
          while (b < nBins - 1 && v >= edges[b + 1]!) b++;
          return b;
        };
        // The majority bin of every unit's members, by hand (ties to the lower bin).
        const votes = new Map<number, number[]>();
        cont.bmus.forEach((u, i) => {
          const v = votes.get(u) ?? new Array<number>(nBins).fill(0);
          v[bin(petal[i]!)]!++;
          votes.set(u, v);
        });
        for (const c of parseCells(svg)) {
          const v = votes.get(c.unit);
          if (v === undefined) expect(c.empty).toBe(true);
          else expect(c.fill).toBe(categoricalColor(v.indexOf(Math.max(...v))));
        }
        expect(svg).not.toMatch(/NaN/);
        checkWellFormed(svg);
      }
      // The default preds are the 5-bin map.
      expect(new Set([...cont.preds!.values].filter((v) => !Number.isNaN(v)))).toEqual(new Set([0, 1, 2, 3, 4].filter((b) => [...cont.preds!.values].includes(b))));
      expect(Math.max(...[...cont.preds!.values].filter((v) => !Number.isNaN(v)))).toBeLessThanOrEqual(4);
    });

    it('nBins ≤ 0: each unit’s mean label on a continuous scale; integer labels bin with continuous: true', async () => {
      const cont = await SomInterpretation.fromSom(som, data, { labels: petal });
      const svg = cont.showPreds({}, { nBins: 0 });
      expect(legendOf(svg)).toHaveLength(0);
      const sums = new Map<number, [number, number]>();
      cont.bmus.forEach((u, i) => {
        const [s, n] = sums.get(u) ?? [0, 0];
        sums.set(u, [s + petal[i]!, n + 1]);
      });
      for (const c of parseCells(svg)) {
        const m = sums.get(c.unit);
        if (m !== undefined) expect(Number(c.value)).toBeCloseTo(m[0] / m[1], 3);
      }
      const ints = await SomInterpretation.fromSom(som, data, { labels: petal.map(Math.round), continuous: true });
      expect(legendOf(ints.showPreds({}, { nBins: 4 })).length).toBeGreaterThan(1);
      expect(() => cont.showPreds({}, { nBins: 2.5 })).toThrow(/nBins to be an integer/);
      await expect(SomInterpretation.fromSom(som, data, { labels: petal.map((v, i) => (i === 3 ? Number.NaN : v + 0.01)) })).rejects.toSatisfy((e) => isSomError(e, 'ERR_NON_FINITE'));
    });
  });
});
