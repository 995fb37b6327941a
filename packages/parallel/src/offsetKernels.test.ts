// Kernels over grid offsets (rhomb, square): the engine gets core's kernel table, so it trains them
// exactly like the tfjs reference (no fallback needed), on every rule and grid.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { expect, it } from 'vitest';
import { SOM, type SomOptions } from '@somkit/core';
import { rhomb, square } from '@somkit/kernels';
import { parallelEngine } from './index.js';

function data(n: number, d: number, seed: number): number[][] {
  let s = seed;
  const next = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: n }, () => Array.from({ length: d }, () => 3 * next()));
}

const cases = [
  { rule: 'batch-map', topology: 'rectangular', pbc: false, neighborhood: rhomb() },
  { rule: 'minibatch', topology: 'rectangular', pbc: true, neighborhood: square() },
  { rule: 'minibatch', topology: 'hexagonal', pbc: false, neighborhood: rhomb() },
  { rule: 'batch-map', topology: 'hexagonal', pbc: true, neighborhood: square() },
] as const;

for (const c of cases) {
  it(`${c.neighborhood.name}, ${c.rule}, ${c.pbc ? 'toroidal ' : ''}${c.topology}: the parallel engine gives the tfjs reference's codebook`, async () => {
    await tf.setBackend('cpu');
    const x = data(120, 3, 3);
    const init = data(20, 3, 17);
    const opts: SomOptions = { rows: 4, cols: 5, dims: 3, epochs: 3, batchSize: 16, sigma: 2, learningRate: 0.5, seed: 5, rule: c.rule, topology: c.topology, pbc: c.pbc, neighborhood: c.neighborhood };
    const ref = new SOM({ ...opts, engine: 'tfjs' });
    const eng = new SOM({ ...opts, engine: parallelEngine({ threads: 2, minWork: 0 }) });
    try {
      await ref.setWeights(init);
      await eng.setWeights(init);
      await ref.fit(x, { shuffle: false });
      await eng.fit(x, { shuffle: false });
      expect(eng.engineChoice?.name).toBe('parallel');
      const [a, b] = [ref.getWeights(), eng.getWeights()];
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(worst).toBeLessThan(1e-4);
    } finally {
      ref.dispose();
      eng.dispose();
    }
  });
}
