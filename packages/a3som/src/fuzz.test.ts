// Bounded fuzz of A3SOM.load (issue 17, acceptance): 200 seeded mutations of a small fitted model
// file. Every outcome must be a model that predicts, or a coded SomError, within a time limit.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Rng } from '@somkit/geometry';
import { flipChars, fuzzCases, jsonParentOf, jsonPaths, type JsonTree } from '@somkit/testing';
import { A3SOM } from './A3SOM.js';
import { blobs } from './testData.test-util.js';

const CASES = 200;
const CASE_MS = 3000;
type J = JsonTree;
const WEIRD: J[] = [null, true, 0, -1, 0.5, 1e9, 2 ** 53, 1e308, '', 'x', 'AAAA', [], [1], {}, { kind: 'x' }, 140, 3];

const easy = blobs([[0, 0], [4, 0]], 10, 0.5, 3);
let baseText = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  const m = new A3SOM({ inputDim: 2, nClasses: 2, n: 3, nHidden: 1, hiddenUnits: 4, seed: 2 });
  m.compile();
  await m.fit(easy.x, easy.y, { epochs: 1 });
  baseText = JSON.stringify(await m.save());
  m.dispose();
});

function mutate(rng: Rng): string {
  const op = rng.int(5);
  if (op === 0) {
    return flipChars(baseText, rng, 3);
  }
  if (op === 1) return baseText.slice(0, rng.int(baseText.length));
  const root = JSON.parse(baseText) as J;
  const all = jsonPaths(root);
  const [parent, key] = jsonParentOf(root, all[rng.int(all.length)]!);
  if (op === 2) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (op === 3) parent[key] = WEIRD[rng.int(WEIRD.length)]!;
  else parent[key] = '['.repeat(50_000) + ']'.repeat(50_000);
  return JSON.stringify(root).replace(/"(\[{50000}\]{50000})"/, '$1');
}

describe('A3SOM model-file fuzz', () => {
  it(`${CASES} mutations load and predict or fail with a coded SomError`, async () => {
    const { failures, outcomes } = await fuzzCases({
      cases: CASES,
      seed: 17,
      caseMs: CASE_MS,
      quote: 200,
      mutate,
      run: async (text) => {
        let m: A3SOM | undefined;
        try {
          m = await A3SOM.load(text);
          await m.predict(easy.x);
        } finally {
          m?.dispose();
        }
      },
    });
    expect(failures.slice(0, 5)).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(10);
    expect(outcomes.coded).toBeGreaterThan(50);
  });
});
