import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SOM } from '@somkit/core';
import { iris } from '@somkit/datasets';
import { isSomError } from '@somkit/plugin-api';
import { renderTrainingCurves } from '@somkit/viz';
import { trainingFigures, type TrainingFigure } from './trainingFigures.js';
import { checkWellFormed, parseCells } from '@somkit/testing';

describe('trainingFigures: figures every k epochs during fit (fastsom visualize=[…])', () => {
  const ds = iris();
  const data = { data: ds.data, shape: [ds.n, ds.d] as const };
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('draws the chosen figures after epochs k − 1, 2k − 1, … and the last, from that epoch’s codebook', async () => {
    const som = new SOM({ rows: 4, cols: 5, dims: ds.d, epochs: 5, sigma: 2, seed: 3 });
    const seen: { epoch: number; figures: Partial<Record<TrainingFigure, string>>; weights: Float32Array }[] = [];
    const cb = trainingFigures({
      som,
      data,
      every: 2,
      figures: ['hitmap', 'weights', 'curves', 'hyperparams'],
      onFigures: (epoch, figures) => {
        seen.push({ epoch, figures, weights: som.getWeights() });
      },
    });
    const before = tf.memory().numTensors;
    await som.fit(data, { callbacks: [cb] });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen.map((s) => s.epoch)).toEqual([1, 3, 4]);
    for (const s of seen) {
      expect(Object.keys(s.figures).sort()).toEqual(['curves', 'hitmap', 'hyperparams', 'weights']);
      for (const svg of Object.values(s.figures)) checkWellFormed(svg);
      const hits = parseCells(s.figures.hitmap!);
      expect(hits).toHaveLength(20);
      expect(hits.reduce((a, c) => a + Number(c.value), 0)).toBe(150);
      expect(s.figures.hitmap).toContain(`epoch ${s.epoch + 1}`);
      expect(s.figures.hyperparams).toContain('Neighbourhood radius');
      expect(s.figures.hyperparams).toContain('Learning rate');
    }
    expect(seen[2]!.weights).toEqual(som.getWeights());
    expect(seen[0]!.weights).not.toEqual(som.getWeights());
    som.dispose();
  });

  it('refuses unknown figures, a bad every and a hit map without data', () => {
    const som = new SOM({ rows: 2, cols: 2, dims: 4 });
    const onFigures = (): void => {};
    for (const bad of [
      () => trainingFigures({ som, figures: ['pca' as TrainingFigure], onFigures }),
      () => trainingFigures({ som, every: 0, onFigures }),
      () => trainingFigures({ som, figures: ['hitmap'], onFigures }),
    ]) {
      try {
        bad();
        expect.unreachable();
      } catch (e) {
        expect(isSomError(e) && e.code).toBe('ERR_INVALID_INPUT');
      }
    }
    som.dispose();
  });

  it('renderTrainingCurves draws chosen panels (σ and α for the hyperparameter figure)', () => {
    const svg = renderTrainingCurves({ qe: [1, 0.5], te: [0.1, 0.05], learningRate: [0.5, 0.25], sigma: [3, 1] }, { panels: ['sigma'] });
    expect(svg).toContain('Neighbourhood radius');
    expect(svg).not.toContain('Quantization error');
    expect(() => renderTrainingCurves({ qe: [], te: [] }, { panels: ['alpha' as never] })).toThrow(/unknown panel 'alpha'/);
  });
});
