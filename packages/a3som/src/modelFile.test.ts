// A3SOM.load sizes everything by the data in the file before allocating (issue 17, Medium 7):
// a 119 KB file with n = 140 reached 1.6 GB resident (a [u, u] table, growing as n⁴).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { float32ToBase64 } from '@somkit/geometry';
import { A3SOM } from './A3SOM.js';
import type { A3SOMModelJSON } from './modelFile.js';
import { expectSomError } from './testData.test-util.js';

let good: A3SOMModelJSON;
const rss = (): number => (globalThis as unknown as { process: { memoryUsage(): { rss: number } } }).process.memoryUsage().rss;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const m = new A3SOM({ inputDim: 1, nClasses: 2, n: 2, nHidden: 0, seed: 1 });
  good = await m.save();
  m.dispose();
});

function withN(n: number, headUnits: number): A3SOMModelJSON {
  const u = n * n;
  const tensor = (name: string | undefined, shape: number[]) => ({ ...(name !== undefined ? { name } : {}), dtype: 'float32' as const, shape, data: float32ToBase64(new Float32Array(shape.reduce((a, b) => a * b, 1))) });
  return {
    ...good,
    config: { ...good.config, n },
    prototypes: tensor(undefined, [u, 1]),
    head: { topology: JSON.parse(JSON.stringify(good.head.topology).replaceAll('[null,4]', `[null,${headUnits}]`)), weights: [tensor(good.head.weights[0]!.name, [headUnits, 2]), tensor(good.head.weights[1]!.name, [2])] },
  };
}

describe('A3SOM.load sizes', () => {
  it('refuses a head whose size disagrees with the config before building anything', async () => {
    const t0 = Date.now();
    await expectSomError(A3SOM.load(withN(140, 4)), 'ERR_MODEL_FORMAT', /head\.topology\.config\.layers\[0\]: expected an InputLayer of batch_input_shape \[null, 19600\]/);
    const small = withN(140, 19600);
    await expectSomError(A3SOM.load({ ...small, head: { ...small.head, weights: withN(2, 4).head.weights } }), 'ERR_MODEL_FORMAT', /head\.weights: expected 39202 values in all/);
    expect(Date.now() - t0).toBeLessThan(3000);
    await expectSomError(A3SOM.load({ ...good, config: { ...good.config, hiddenUnits: 1e6, nHidden: 1 } }), 'ERR_MODEL_FORMAT', /head\.weights/);
  });

  it('loads a consistent n = 140 file without a [u, u] table (memory grows with the file, not n⁴)', async () => {
    const json = withN(140, 140 * 140);
    const rss0 = rss();
    const t0 = Date.now();
    const m = await A3SOM.load(json);
    expect(m.units).toBe(19600);
    expect(rss() - rss0).toBeLessThan(500 * 1024 * 1024);
    expect(Date.now() - t0).toBeLessThan(10_000);
    m.dispose();
  });
});
