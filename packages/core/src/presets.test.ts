import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import '@somkit/kernels/register';
import { SOM } from './SOM.js';
import { defaultSigma, presetDefaults } from './presets.js';

describe('presets', () => {
  it('defaultSigma: half the longer side, at least 1', () => {
    expect(defaultSigma(50, 50)).toBe(25);
    expect(defaultSigma(10, 6)).toBe(5);
    expect(defaultSigma(3, 12)).toBe(6);
    expect(defaultSigma(1, 1)).toBe(1);
    expect(defaultSigma(1, 2)).toBe(1);
  });

  it("'somkit' (the default): σ from the grid decaying to exactly 1 at the last epoch, PCA init, batch map", () => {
    const som = new SOM({ rows: 50, cols: 40, dims: 3 });
    expect(som.config).toMatchObject({ sigma: 25, learningRate: 0.5, epochs: 10, batchSize: 32, init: 'pca', rule: 'batch-map' });
    expect(som.config.sigmaDecay).toEqual({ name: 'exponential', options: { final: 1 } });
    expect(som.config.lrDecay).toEqual({ name: 'asymptotic_decay' });
    const T = som.config.epochs;
    expect(som.plugins.sigmaDecay.value(som.config.sigma, 0, T)).toBe(25);
    expect(som.plugins.sigmaDecay.value(som.config.sigma, T - 1, T)).toBeCloseTo(1, 12);
    for (let t = 1; t < T; t++) expect(som.plugins.sigmaDecay.value(25, t, T)).toBeLessThan(som.plugins.sigmaDecay.value(25, t - 1, T));
    som.dispose();
  });

  it("'somkit': an explicit σ keeps the schedule's end at min(1, σ); σ < 1 stays constant", () => {
    const a = new SOM({ rows: 8, cols: 8, dims: 2, sigma: 3 });
    expect(a.config.sigmaDecay).toEqual({ name: 'exponential', options: { final: 1 } });
    const b = new SOM({ rows: 8, cols: 8, dims: 2, sigma: 0.5 });
    expect(b.config.sigmaDecay).toEqual({ name: 'exponential', options: { final: 0.5 } });
    expect(b.plugins.sigmaDecay.value(0.5, 9, 10)).toBe(0.5);
    a.dispose();
    b.dispose();
  });

  it("'somkit': one feature inits from random rows; a kernel with negative values trains minibatch", () => {
    const one = new SOM({ rows: 4, cols: 4, dims: 1 });
    expect(one.config.init).toBe('random');
    const hat = new SOM({ rows: 4, cols: 4, dims: 2, neighborhood: 'mexican_hat' });
    expect(hat.config.rule).toBe('minibatch');
    one.dispose();
    hat.dispose();
  });

  it("'torchsom': TorchSOM's SOM(x, y, num_features) defaults exactly (anchors §1.2, §1.12)", () => {
    const som = new SOM({ rows: 50, cols: 50, dims: 3, preset: 'torchsom' });
    expect(som.config).toEqual({
      rows: 50, cols: 50, dims: 3, epochs: 10, batchSize: 5, sigma: 1, learningRate: 0.5, neighborhoodOrder: 1,
      topology: 'rectangular', pbc: false, lrDecay: { name: 'asymptotic_decay' }, sigmaDecay: { name: 'asymptotic_decay' },
      neighborhood: { name: 'gaussian' }, distance: { name: 'euclidean' }, init: 'random', search: 'auto', seed: 42, rule: 'minibatch', missing: 'error',
    });
    expect(presetDefaults('torchsom', 50, 50, 3)).toMatchObject({ sigma: 1, batchSize: 5, rule: 'minibatch', init: 'random' });
    som.dispose();
  });

  it('explicit options win over either preset; the preset is not saved (model files hold resolved values)', async () => {
    const som = new SOM({ rows: 6, cols: 6, dims: 2, preset: 'torchsom', sigma: 2, rule: 'batch-map', init: 'pca', batchSize: 32 });
    expect(som.config).toMatchObject({ sigma: 2, rule: 'batch-map', init: 'pca', batchSize: 32, learningRate: 0.5 });
    expect('preset' in som.config).toBe(false);
    await som.fit([[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.2]]);
    const back = await SOM.fromJSON(JSON.parse(JSON.stringify(som.toJSON())));
    expect(back.config).toEqual(som.config);
    som.dispose();
    back.dispose();
  });

  it('rejects an unknown preset with the choices', () => {
    expect(() => new SOM({ rows: 2, cols: 2, dims: 2, preset: 'minisom' as never })).toThrow(/preset: expected one of 'somkit', 'torchsom', got/);
  });
});
