// Hostile model files: every refusal is a coded ERR_MODEL_FORMAT at load, never a TypeError or a
// stack overflow later (issue 17).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@somkit/kernels/register';
import { isSomError, type SomErrorCode } from '@somkit/plugin-api';
import { SOM } from './SOM.js';
import { resolveConfig } from './config.js';

const data = { data: Float32Array.from({ length: 40 }, (_, i) => Math.sin(i)), shape: [20, 2] as const };
let base: Record<string, unknown>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const som = new SOM({ rows: 5, cols: 5, dims: 2, epochs: 1, init: 'random' });
  await som.fit(data);
  base = som.toJSON() as unknown as Record<string, unknown>;
  som.dispose();
});

function withConfig(patch: Record<string, unknown>): Record<string, unknown> {
  const j = JSON.parse(JSON.stringify(base)) as Record<string, Record<string, unknown>>;
  Object.assign(j.config!, patch);
  return j;
}

async function code(json: unknown): Promise<SomErrorCode | 'ok'> {
  try {
    const som = await SOM.fromJSON(json);
    await som.evaluate(data);
    som.dispose();
    return 'ok';
  } catch (e) {
    if (isSomError(e)) return e.code;
    throw e;
  }
}

describe('modelFromJSON on hostile files', () => {
  it('refuses a neighborhoodOrder beyond the largest ring distance at once (1e9 and 2^53 ran forever in report)', async () => {
    for (const order of [5, 1e9, 2 ** 53]) {
      const t0 = Date.now();
      expect(await code(withConfig({ neighborhoodOrder: order }))).toBe('ERR_MODEL_FORMAT');
      expect(Date.now() - t0).toBeLessThan(2000);
    }
    expect(await code(withConfig({ neighborhoodOrder: 4 }))).toBe('ok');
    await expect(SOM.fromJSON(withConfig({ neighborhoodOrder: 1e9 }))).rejects.toThrow(/config\.neighborhoodOrder: expected an integer in 1\.\.4 \(4 is the largest ring distance of this 5 × 5/);
  });

  it('refuses plugin-shaped objects, and plugins/engine fields, in a config (they loaded, then threw a TypeError)', async () => {
    expect(await code(withConfig({ distance: { kind: 'distance', name: 'euclidean', apiVersion: 1 } }))).toBe('ERR_MODEL_FORMAT');
    expect(await code(withConfig({ neighborhood: { kind: 'neighborhood', name: 'x', apiVersion: 1, nonNegative: true } }))).toBe('ERR_MODEL_FORMAT');
    expect(await code(withConfig({ search: { kind: 'search', name: 'x', apiVersion: 1, priority: 1 } }))).toBe('ERR_MODEL_FORMAT');
    expect(await code(withConfig({ plugins: [{ kind: 'distance', name: 'x', apiVersion: 1 }], distance: 'x' }))).toBe('ERR_MODEL_FORMAT');
    expect(await code(withConfig({ engine: 'tfjs' }))).toBe('ERR_MODEL_FORMAT');
  });

  it('reports an invalid config.search as ERR_MODEL_FORMAT, not ERR_INVALID_CONFIG', async () => {
    for (const search of [5, true, [], { name: 5 }, { options: {} }]) expect(await code(withConfig({ search }))).toBe('ERR_MODEL_FORMAT');
  });

  it('refuses 10⁵ nested arrays with a coded error instead of a stack overflow', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = JSON.stringify(withConfig({})).replace('"init":"random"', `"init":${deep}`);
    expect(await code(text)).toBe('ERR_MODEL_FORMAT');
    const inOptions = JSON.stringify(withConfig({})).replace('{"name":"gaussian"}', `{"name":"gaussian","options":${deep}}`);
    expect(await code(inOptions)).toBe('ERR_MODEL_FORMAT');
  });
});

describe('resolveConfig size bounds', () => {
  it('refuses maps whose arrays cannot fit, with the memory they would need', () => {
    for (const [rows, cols] of [[100_000, 100_000], [3000, 3000]] as const) {
      let err: unknown;
      try {
        resolveConfig({ rows, cols, dims: 4 });
      } catch (e) {
        err = e;
      }
      expect(isSomError(err, 'ERR_INVALID_CONFIG'), String(err)).toBe(true);
      expect((err as Error).message).toMatch(/float32 arrays of at most 1 GiB \(use a smaller map or batchSize\), got '\d+ × \d+, which needs [\d.e+]+ GiB'/);
    }
    // A large map with a small batch fits.
    expect(resolveConfig({ rows: 3000, cols: 3000, dims: 4, batchSize: 8 }).config.rows).toBe(3000);
  });

  it('bounds neighborhoodOrder by the grid where rings are walked, and keeps order 1 on a single unit', async () => {
    const som = new SOM({ rows: 5, cols: 5, dims: 2, neighborhoodOrder: 600 });
    await som.setWeights({ data: new Float32Array(50), shape: [25, 2] });
    await expect(som.buildMap('distance')).rejects.toThrow(/neighborhoodOrder must be an integer in 1\.\.4/);
    som.dispose();
    const one = new SOM({ rows: 1, cols: 1, dims: 2 });
    await one.setWeights({ data: new Float32Array(2), shape: [1, 2] });
    expect((await one.buildMap('distance')).values).toHaveLength(1);
    one.dispose();
    expect(resolveConfig({ rows: 6, cols: 6, dims: 1, pbc: true, neighborhoodOrder: 3 }).config.neighborhoodOrder).toBe(3);
  });
});
