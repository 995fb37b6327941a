// Names and `auto`: after importing './register.js' the backend is chosen by name or by priority.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { expect, expectTypeOf, it } from 'vitest';
import { describeBackends } from '@somkit/testing';
import { registry, type SearchNames } from '@somkit/plugin-api';
import { cosine } from '@somkit/kernels';
import { resolveSearch } from '@somkit/search';
import { SOM } from '@somkit/core';
import './register.js';
import { type SampledPivotsOptions } from './index.js';
import { clusters } from './clusters.fixture.js';

it('registers the name and types it', () => {
  expect(registry.list('search')).toContain('somkit-search-sampled/sampled-pivots');
  expectTypeOf<SearchNames['somkit-search-sampled/sampled-pivots']>().toEqualTypeOf<SampledPivotsOptions | undefined>();
});

describeBackends(['cpu', 'wasm'], () => {
  it("search: 'auto' picks it where supports() says yes, and says why not elsewhere", async () => {
    const data = clusters(60, 4, 4);
    const som = new SOM({ rows: 4, cols: 4, dims: 4, epochs: 1 });
    await som.fit(data);
    expect(som.searchName).toBe('somkit-search-sampled/sampled-pivots');
    som.dispose();
    const choice = resolveSearch('auto', { backend: tf.getBackend(), distance: cosine(), units: 16, dims: 4 });
    expect(choice.strategy.name).toBe('brute-force');
    expect(choice.refused).toEqual([{ name: 'somkit-search-sampled/sampled-pivots', reason: expect.stringMatching(/metric/) }]);
  });

  it('works by name, a saved model naming it reloads, and BMUs equal the brute force', async () => {
    const before = tf.memory().numTensors;
    const data = clusters(100, 4, 5);
    const som = new SOM({ rows: 4, cols: 4, dims: 4, epochs: 2, search: { name: 'somkit-search-sampled/sampled-pivots', options: { pivots: 3 } } });
    await som.fit(data);
    const file = JSON.stringify(som.toJSON());
    const back = await SOM.fromJSON(file);
    const bmus = await back.identifyBmus(data);
    expect(back.searchName).toBe('somkit-search-sampled/sampled-pivots');
    const brute = await SOM.fromJSON({ ...JSON.parse(file), config: { ...JSON.parse(file).config, search: { name: 'brute-force' } } });
    expect([...bmus]).toEqual([...(await brute.identifyBmus(data))]);
    expect(brute.searchName).toBe('brute-force');
    for (const s of [som, back, brute]) s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
