// Model files load where they are used (issue 18): a file that names first-party plugins loads
// with only @somkit/core imported (no '@somkit/kernels/register'); a third-party name says which
// package to import.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { bubble, cosine, lrLinearDecayToZero, sigLinearDecayToOne } from '@somkit/kernels';
import { isSomError, registry } from '@somkit/plugin-api';
import { SOM } from './SOM.js';
import { readModelFile } from './readModelFile.js';

const data = { data: Float32Array.from({ length: 60 }, (_, i) => Math.sin(i) + (i % 3)), shape: [20, 3] as const };
let file: string;
let qe: number;

beforeAll(async () => {
  await tf.setBackend('cpu');
  // Plugin objects, as a caller without the registry passes them: the file holds their names.
  const som = new SOM({ rows: 4, cols: 4, dims: 3, epochs: 3, init: 'random', seed: 3, rule: 'minibatch', distance: cosine(), neighborhood: bubble(), lrDecay: lrLinearDecayToZero(), sigmaDecay: sigLinearDecayToOne() });
  await som.fit(data);
  qe = (await som.evaluate(data)).qe;
  file = JSON.stringify(som.toJSON());
  som.dispose();
});

describe('readModelFile / SOM.fromJSON', () => {
  it('registers nothing for a file with core\'s defaults (core resolves them itself)', async () => {
    const som = new SOM({ rows: 3, cols: 3, dims: 3, epochs: 1, init: 'random' });
    await som.fit(data);
    const loaded = await SOM.fromJSON(som.toJSON());
    expect(loaded.config.distance).toEqual({ name: 'euclidean' });
    for (const kind of ['distance', 'neighborhood', 'schedule', 'search'] as const) expect(registry.list(kind)).toEqual([]);
    som.dispose();
    loaded.dispose();
  });

  it('registers the first-party plugins a file names on demand', async () => {
    expect(file).toContain('"cosine"');
    for (const [kind, name] of [['distance', 'cosine'], ['neighborhood', 'bubble'], ['schedule', 'sig_linear_decay_to_one'], ['schedule', 'lr_linear_decay_to_zero']] as const) {
      expect(registry.has(kind, name), `${name} is not registered before the load`).toBe(false);
    }
    const before = tf.memory().numTensors;
    const som = await SOM.fromJSON(file);
    expect(registry.has('distance', 'cosine')).toBe(true);
    expect(som.config.distance).toEqual({ name: 'cosine' });
    expect((await som.evaluate(data)).qe).toBeCloseTo(qe, 6);
    som.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the package of a third-party plugin it cannot find', async () => {
    const j = JSON.parse(file) as { config: Record<string, unknown> };
    j.config.distance = 'somkit-distance-hamming/hamming';
    const e = await SOM.fromJSON(j).then(() => undefined, (err: unknown) => err);
    expect(isSomError(e, 'ERR_UNKNOWN_PLUGIN')).toBe(true);
    expect((e as Error).message).toContain("import 'somkit-distance-hamming/register'");
    expect((e as { details?: { package?: string } }).details?.package).toBe('somkit-distance-hamming');
  });

  it('still refuses a first-party-looking name that does not exist, listing the registered ones', async () => {
    const j = JSON.parse(file) as { config: Record<string, unknown> };
    j.config.distance = 'euclidan';
    const e = await readModelFile(j).then(() => undefined, (err: unknown) => err);
    expect(isSomError(e, 'ERR_UNKNOWN_PLUGIN')).toBe(true);
    expect((e as Error).message).toContain('euclidean');
  });

  it('refuses text that is not JSON with ERR_MODEL_FORMAT', async () => {
    const e = await readModelFile('{ not json').then(() => undefined, (err: unknown) => err);
    expect(isSomError(e, 'ERR_MODEL_FORMAT')).toBe(true);
  });
});
