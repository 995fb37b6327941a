import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as somkit from './index.js';
import './register.js';

describe('somkit umbrella', () => {
  it('re-exports the packages and registers every first-party plugin', async () => {
    await tf.setBackend('cpu');
    expect(typeof somkit.SOM).toBe('function');
    expect(typeof somkit.useBackend).toBe('function');
    expect(somkit.registry.list('distance')).toEqual(expect.arrayContaining(['euclidean', 'cosine', 'manhattan', 'chebyshev', 'minkowski', 'sqeuclidean']));
    expect(somkit.registry.list('neighborhood')).toEqual(expect.arrayContaining(['gaussian', 'mexican_hat', 'bubble', 'triangle']));
    expect(somkit.registry.list('search')).toContain('brute-force');
    // Every portable package (issue 20): geometry, viz, report, clustering, jitl, and their plugins.
    for (const name of ['Grid', 'cellLayout', 'renderUMatrix', 'buildReport', 'SomInterpretation', 'cluster', 'collectSamples']) expect(typeof (somkit as Record<string, unknown>)[name], name).toBe('function');
    expect(somkit.registry.list('renderer')).toContain('svg');
    expect(somkit.registry.list('clustering')).toEqual(expect.arrayContaining(['kmeans', 'gmm', 'hdbscan']));
    const iris = somkit.iris();
    const som = new somkit.SOM({ rows: 4, cols: 4, dims: iris.d, epochs: 2, distance: 'cosine' });
    const h = await som.fit({ data: iris.data, shape: [iris.n, iris.d] });
    expect(h.qe).toHaveLength(2);
    som.dispose();
  });
});
