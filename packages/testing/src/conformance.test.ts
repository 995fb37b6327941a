// The conformance suites run against tiny plugins written here with the plugin-api factories, on
// every backend this machine has. This file also shows the top-level-await pattern:
// availableBackends() activates each backend once, so init failures become skip reasons too.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import {
  availableBackends,
  describeBackends,
  runDistanceConformance,
  runNeighborhoodConformance,
  runScheduleConformance,
  runSearchConformance,
} from './index.js';
import { brute, euclid, expDecay, gaussian, manhattan, mexicanHat } from './plugins.fixture.js';

const backends = await availableBackends(['cpu', 'wasm', 'tensorflow']);

it('availableBackends reports cpu and wasm available, tensorflow with a reason', () => {
  expect(backends.map((b) => [b.name, b.available])).toEqual([
    ['cpu', true],
    ['wasm', true],
    ['tensorflow', false],
  ]);
  expect(backends[2]).toMatchObject({ reason: expect.stringMatching(/@tensorflow\/tfjs-node is not installed|not installed/) });
});

describeBackends(backends, (backend) => {
  it('runs on the backend it names', () => {
    expect(tf.getBackend()).toBe(backend);
  });
  runDistanceConformance(euclid());
  runDistanceConformance(manhattan());
  runNeighborhoodConformance(gaussian());
  runNeighborhoodConformance(mexicanHat());
  runScheduleConformance(expDecay({ rate: 2 }));
  runSearchConformance(brute(), { distance: euclid() });
  runSearchConformance(brute(), {
    distance: manhattan(),
    title: 'search conformance: test/brute under manhattan, plain-JS reference',
    reference: (a, b) => a.reduce((s, v, i) => s + Math.abs(v - (b[i] as number)), 0),
  });
});

afterAll(() => {
  // Every suite above checked its own leaks; nothing may be left for the file either.
  expect(tf.memory().numTensors).toBe(0);
});
