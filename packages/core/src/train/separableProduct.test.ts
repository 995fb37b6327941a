import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { bubble, gaussian } from '@somkit/kernels';
import { bruteForce } from '@somkit/search';
import { Grid } from '@somkit/geometry';
import { Rng } from '@somkit/geometry';
import { neighborhoodTable } from './neighborhoodTable.js';
import { referenceKernels } from './referenceKernels.js';
import { separableProduct } from './separableProduct.js';

describe('separableProduct', () => {
  let before = 0;
  beforeEach(async () => {
    await tf.setBackend('cpu');
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  for (const pbc of [false, true]) {
    it(`equals the full product G·m for the gaussian on a rectangular grid${pbc ? ' (torus)' : ''}`, async () => {
      const grid = new Grid({ rows: 5, cols: 7, topology: 'rectangular', pbc });
      const c = 4;
      const r = new Rng(3);
      const m = Float32Array.from({ length: grid.units * c }, () => r.next() * 10);
      const ref = referenceKernels({ strategy: bruteForce(), ctx: { backend: 'cpu', distance: { name: 'euclidean' } as never, units: grid.units, dims: c - 1 } });
      try {
        const full = await ref.neighborhoodProduct({ kernel: await neighborhoodTable(grid, gaussian(), 1.7), m, units: grid.units, columns: c });
        const fast = await separableProduct(grid, gaussian(), 1.7, m, c);
        expect(fast).toBeDefined();
        for (let i = 0; i < full.length; i++) expect(Math.abs(fast![i]! - full[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(full[i]!)));
      } finally {
        ref.close();
      }
    });
  }

  it('does not apply to kernels that are not separable or to hexagonal grids', async () => {
    const m = new Float32Array(20 * 3);
    expect(await separableProduct(new Grid({ rows: 4, cols: 5, topology: 'rectangular', pbc: false }), bubble(), 1.5, m, 3)).toBeUndefined();
    expect(await separableProduct(new Grid({ rows: 4, cols: 5, topology: 'hexagonal', pbc: false }), gaussian(), 1.5, m, 3)).toBeUndefined();
  });
});
