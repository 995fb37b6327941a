// Bounded fuzz of A3SOM.load (issue 17, acceptance): 200 seeded mutations of a small fitted model
// file. Every outcome must be a model that predicts, or a coded SomError, within a time limit.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSomError } from '@somkit/plugin-api';
import { Rng } from '@somkit/geometry';
import { A3SOM } from './A3SOM.js';
import { blobs } from './testData.test-util.js';

const CASES = 200;
const CASE_MS = 3000;
type J = null | boolean | number | string | J[] | { [k: string]: J };
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

function paths(v: J, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...at, i]), paths(x, [...at, i], out)));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) (out.push([...at, k]), paths(x, [...at, k], out));
  return out;
}

function mutate(rng: Rng): string {
  const op = rng.int(5);
  if (op === 0) {
    const chars = baseText.split('');
    for (let i = 0, k = 1 + rng.int(3); i < k; i++) chars[rng.int(chars.length)] = String.fromCharCode(32 + rng.int(95));
    return chars.join('');
  }
  if (op === 1) return baseText.slice(0, rng.int(baseText.length));
  const root = JSON.parse(baseText) as J;
  const all = paths(root);
  const path = all[rng.int(all.length)]!;
  let parent = root as Record<string | number, J>;
  for (const k of path.slice(0, -1)) parent = parent[k] as unknown as Record<string | number, J>;
  const key = path[path.length - 1]!;
  if (op === 2) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (op === 3) parent[key] = WEIRD[rng.int(WEIRD.length)]!;
  else parent[key] = '['.repeat(50_000) + ']'.repeat(50_000);
  return JSON.stringify(root).replace(/"(\[{50000}\]{50000})"/, '$1');
}

describe('A3SOM model-file fuzz', () => {
  it(`${CASES} mutations load and predict or fail with a coded SomError`, async () => {
    const rng = new Rng(17);
    const failures: string[] = [];
    const outcomes = { ok: 0, coded: 0 };
    for (let c = 0; c < CASES; c++) {
      const text = mutate(rng);
      const t0 = Date.now();
      let m: A3SOM | undefined;
      try {
        m = await A3SOM.load(text);
        await m.predict(easy.x);
        outcomes.ok++;
      } catch (e) {
        if (isSomError(e)) outcomes.coded++;
        else failures.push(`case ${c}: ${String(e).slice(0, 200)} — input ${text.slice(0, 200)}`);
      } finally {
        m?.dispose();
      }
      const ms = Date.now() - t0;
      if (ms > CASE_MS) failures.push(`case ${c}: took ${ms} ms`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(10);
    expect(outcomes.coded).toBeGreaterThan(50);
  });
});
