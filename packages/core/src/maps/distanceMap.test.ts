import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SOM } from '../SOM.js';
import { buildMap } from './buildMap.js';

/**
 * A uniform codebook: unit u is the one-hot vector e_u, so every pair of units is √2 apart and no
 * unit is more or less similar to its neighbours than any other. A fair U-matrix is flat on it.
 */
async function uniformSom(rows: number, cols: number, topology: 'rectangular' | 'hexagonal', pbc: boolean): Promise<SOM> {
  const u = rows * cols;
  const som = new SOM({ rows, cols, dims: u, topology, pbc });
  await som.setWeights(Array.from({ length: u }, (_, a) => Array.from({ length: u }, (_, b) => (a === b ? 1 : 0))));
  return som;
}

describe("U-matrix ('distance' map) on a uniform codebook", () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases = [
    ['rectangular', false],
    ['hexagonal', false],
    ['rectangular', true],
    ['hexagonal', true],
  ] as const;
  for (const [topology, pbc] of cases) {
    for (const order of [1, 2]) {
      it(`scaling 'mean': edge, corner and interior units are equal (${topology}${pbc ? ' torus' : ''}, order ${order})`, async () => {
        const som = await uniformSom(6, 6, topology, pbc);
        const mean = await buildMap(som, 'distance', { scaling: 'mean', neighborhoodOrder: order });
        for (const v of mean.values) expect(v).toBeCloseTo(1, 6);
        // TorchSOM's default 'sum' stays available: off the torus, the corner (fewest neighbours) is
        // darker than an interior unit for no reason but its position; on the torus all are equal.
        const sum = await buildMap(som, 'distance', { neighborhoodOrder: order });
        const corner = sum.values[0]!;
        const interior = sum.values[som.grid.unit(3, 3)]!;
        if (pbc) expect(corner).toBeCloseTo(interior, 6);
        else expect(corner).toBeLessThan(interior - 0.2);
        som.dispose();
      });
    }
  }
});
