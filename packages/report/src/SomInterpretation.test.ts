import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SOM } from '@somkit/core';
import { iris } from '@somkit/datasets';
import { isSomError } from '@somkit/plugin-api';
import { categoricalColor } from '@somkit/geometry';
import { SomInterpretation } from './SomInterpretation.js';
import { checkWellFormed, parseCells } from './xmlCheck.test-util.js';

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
});
