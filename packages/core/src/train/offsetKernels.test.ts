import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { constant, gaussian, rhomb, square } from '@somkit/kernels';
import type { NeighborhoodPlugin } from '@somkit/plugin-api';
import { Grid } from '@somkit/geometry';
import { SOM } from '../SOM.js';
import { gridAxisOffsets } from './gridAxisOffsets.js';
import { gridOffsets } from './gridOffsets.js';
import { neighborhoodTable } from './neighborhoodTable.js';

const R = 4;
const C = 5;
const SIGMA = 1.5;
const rhombH = (dr: number, dc: number): number => Math.exp(-Math.sqrt(Math.abs(dr) + Math.abs(dc)) / SIGMA);
const squareH = (dr: number, dc: number): number => Math.exp(-Math.sqrt(Math.max(Math.abs(dr), Math.abs(dc))) / SIGMA);

function data(n: number, seed: number): number[][] {
  let s = seed;
  const r = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
  return Array.from({ length: n }, () => [r() * 4, r() * 3]);
}

const X = data(40, 7);
const W0 = data(R * C, 99);

function bmu(x: number[], w: number[][]): number {
  let best = 0;
  let bd = Infinity;
  w.forEach((v, k) => {
    const d = (v[0]! - x[0]!) ** 2 + (v[1]! - x[1]!) ** 2;
    if (d < bd) [best, bd] = [k, d];
  });
  return best;
}

const h = (fn: (dr: number, dc: number) => number, a: number, b: number): number =>
  fn(Math.floor(b / C) - Math.floor(a / C), (b % C) - (a % C));

function som(neighborhood: NeighborhoodPlugin, rule: 'batch-map' | 'minibatch'): SOM {
  return new SOM({ rows: R, cols: C, dims: 2, sigma: SIGMA, sigmaDecay: constant(), lrDecay: constant(), learningRate: 0.5, neighborhood, rule, epochs: 1, batchSize: X.length, init: 'random' });
}

describe('kernels over grid offsets (rhomb, square) in training', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('gridAxisOffsets: integer index offsets on a rectangle, minimum image on a torus, plane offsets on odd-r hex; dRow² + dCol² = d²', () => {
    for (const spec of [
      { rows: 4, cols: 5, topology: 'rectangular', pbc: false },
      { rows: 4, cols: 5, topology: 'rectangular', pbc: true },
      { rows: 4, cols: 3, topology: 'hexagonal', pbc: false },
      { rows: 4, cols: 3, topology: 'hexagonal', pbc: true },
    ] as const) {
      const g = new Grid(spec);
      const { d2, base, offset } = gridOffsets(g);
      const { dRow, dCol } = gridAxisOffsets(g);
      for (let a = 0; a < g.units; a++) {
        for (let b = 0; b < g.units; b++) {
          const i = base[a]! + offset[b]!;
          expect(dRow[i]! ** 2 + dCol[i]! ** 2).toBeCloseTo(d2[i]!, 5);
          if (spec.topology === 'rectangular' && !spec.pbc) {
            expect(dRow[i]).toBe(Math.floor(b / spec.cols) - Math.floor(a / spec.cols));
            expect(dCol[i]).toBe((b % spec.cols) - (a % spec.cols));
          }
          if (spec.topology === 'rectangular' && spec.pbc) expect(Math.abs(dCol[i]!)).toBeLessThanOrEqual(spec.cols / 2);
        }
      }
    }
  });

  it('neighborhoodTable evaluates rhomb/square on the offsets (a radial kernel cannot give these values)', async () => {
    const g = new Grid({ rows: R, cols: C, topology: 'rectangular', pbc: false });
    for (const [plugin, fn] of [[rhomb(), rhombH], [square(), squareH]] as const) {
      const before = tf.memory().numTensors;
      const t = await neighborhoodTable(g, plugin, SIGMA, 0.5);
      expect(tf.memory().numTensors).toBe(before);
      for (let a = 0; a < g.units; a++) {
        for (let b = 0; b < g.units; b++) expect(t.values[t.base[a]! + t.offset[b]!]).toBeCloseTo(0.5 * h(fn, a, b), 6);
      }
    }
    // The radial gaussian keeps its d² table.
    const gt = await neighborhoodTable(g, gaussian(), 1);
    expect(gt.values[gt.base[0]! + gt.offset[C + 1]!]).toBeCloseTo(Math.exp(-1), 6);
  });

  for (const [name, plugin, fn] of [['rhomb', rhomb(), rhombH], ['square', square(), squareH]] as const) {
    it(`${name}: one batch-map epoch is Σ h x / Σ h with the ${name === 'rhomb' ? 'L1' : 'L∞'} kernel`, async () => {
      const s = som(plugin, 'batch-map');
      await s.setWeights(W0);
      await s.fit(X, { shuffle: false });
      const c = X.map((x) => bmu(x, W0));
      const want = W0.flatMap((_, k) => {
        let m = 0;
        let a0 = 0;
        let a1 = 0;
        X.forEach((x, n) => {
          const w = h(fn, c[n]!, k);
          m += w;
          a0 += w * x[0]!;
          a1 += w * x[1]!;
        });
        return [a0 / m, a1 / m];
      });
      Array.from(s.getWeights()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
      s.dispose();
    });

    it(`${name}: one minibatch step is w + α/b Σ h (x − w)`, async () => {
      const s = som(plugin, 'minibatch');
      await s.setWeights(W0);
      await s.fit(X, { shuffle: false });
      const c = X.map((x) => bmu(x, W0));
      const want = W0.flatMap((w, k) =>
        [0, 1].map((j) => w[j]! + (0.5 / X.length) * X.reduce((acc, x, n) => acc + h(fn, c[n]!, k) * (x[j]! - w[j]!), 0)),
      );
      Array.from(s.getWeights()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
      s.dispose();
    });
  }

  it('resolves by name in configs and saves the name in the model file', async () => {
    await import('@somkit/kernels/register');
    const s = new SOM({ rows: R, cols: C, dims: 2, neighborhood: 'square' });
    expect(s.config.neighborhood).toEqual({ name: 'square' });
    s.dispose();
  });
});
