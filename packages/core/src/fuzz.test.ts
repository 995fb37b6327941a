// Bounded fuzz of the model-file reader (issue 17, acceptance): ~1,000 seeded mutations of a real
// model file — byte flips, deleted and duplicated keys, type swaps, huge numbers, deep nesting,
// plugin-shaped objects, truncation. Every outcome must be a success or a coded SomError; a
// TypeError, RangeError (stack overflow) or a case over the time limit fails the test.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@somkit/kernels/register';
import { SOM } from './SOM.js';
import type { Rng } from '@somkit/geometry';
import { flipChars, fuzzCases, jsonParentOf, jsonPaths, type JsonTree } from '@somkit/testing';

const CASES = 1000;
/** Per-case limit: loading, evaluating and one U-matrix of a 3 × 4 map take milliseconds. */
const CASE_MS = 2000;

type J = JsonTree;

const data = { data: Float32Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.3)), shape: [30, 2] as const };
let baseText = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  const som = new SOM({ rows: 3, cols: 4, dims: 2, epochs: 2, topology: 'hexagonal', seed: 5 });
  await som.fit(data);
  baseText = JSON.stringify(som.toJSON());
  som.dispose();
});

const deep = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const WEIRD: J[] = [null, true, false, 0, -1, 0.5, 1e9, 2 ** 53, 1e308, -1e308, '', 'x', 'auto', 'euclidean', 'brute-force', 'hexagonal', [], [1, 2], {}, { name: 'gaussian' }, { name: 'x', options: { a: 1 } },
  { kind: 'distance', name: 'euclidean', apiVersion: 1 }, { kind: 'neighborhood', name: 'gaussian', apiVersion: 1, nonNegative: true }, { kind: 'search', name: 'brute-force', apiVersion: 1, priority: 0 }, 'A'.repeat(100_000)];

/** One mutation of the model file text, chosen by `rng`. */
function mutate(rng: Rng): string {
  const op = rng.int(9);
  if (op === 0) {
    return flipChars(baseText, rng, 4); // byte flips
  }
  if (op === 1) return baseText.slice(0, rng.int(baseText.length)); // truncation
  const root = JSON.parse(baseText) as J;
  const all = jsonPaths(root);
  const path = all[rng.int(all.length)]!;
  const [parent, key] = jsonParentOf(root, path);
  if (op === 2) {
    // Deleted key (or array element).
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
    return JSON.stringify(root);
  }
  if (op === 3) {
    // Duplicated key: the same key again with another value (JSON.parse keeps the last).
    const text = JSON.stringify(root);
    const name = typeof key === 'string' ? `"${key}":` : undefined;
    const at = name === undefined ? -1 : text.indexOf(name);
    if (at < 0) return text;
    return `${text.slice(0, at)}${name}${JSON.stringify(WEIRD[rng.int(WEIRD.length)])},${text.slice(at)}`;
  }
  if (op === 4 || op === 5) {
    // Type swap / huge numbers.
    parent[key] = op === 5 && typeof parent[key] === 'number' ? [1e9, 2 ** 53, 1e308, -1e9, 0, -0.5, 1 + 1e-12][rng.int(7)]! : WEIRD[rng.int(WEIRD.length)]!;
    return JSON.stringify(root);
  }
  if (op === 6) {
    // Deep nesting in place of a value.
    const text = JSON.stringify(root);
    const placeholder = '"__DEEP__"';
    parent[key] = '__DEEP__';
    return JSON.stringify(root).replace(placeholder, deep([10, 100, 10_000, 100_000][rng.int(4)]!)) || text;
  }
  if (op === 7) {
    // A plugin slot holding a plugin-shaped object of the right kind (functions cannot come from JSON).
    const slots = [['distance', 'distance'], ['neighborhood', 'neighborhood'], ['lrDecay', 'schedule'], ['sigmaDecay', 'schedule'], ['search', 'search']] as const;
    const [slot, kind] = slots[rng.int(slots.length)]!;
    (root as Record<string, Record<string, J>>).config![slot] = { kind, name: 'x', apiVersion: 1, nonNegative: true, priority: 0 };
    return JSON.stringify(root);
  }
  // Several small config changes at once.
  const cfg = (root as Record<string, Record<string, J>>).config!;
  for (let i = 0; i < 3; i++) {
    const keys = Object.keys(cfg);
    cfg[keys[rng.int(keys.length)]!] = WEIRD[rng.int(WEIRD.length)]!;
  }
  return JSON.stringify(root);
}

describe('model-file fuzz', () => {
  it(`${CASES} mutations load, evaluate and map or fail with a coded SomError`, async () => {
    const { failures, outcomes } = await fuzzCases({
      cases: CASES,
      seed: 17,
      caseMs: CASE_MS,
      mutate,
      run: async (text) => {
        let som: SOM | undefined;
        try {
          som = await SOM.fromJSON(text);
          await som.evaluate(data);
          await som.buildMap('distance');
          // One epoch (not the file's count, which may be 1e9) exercises every training plugin.
          await som.fit(data, { epochs: 1 });
          JSON.stringify(som.toJSON());
        } finally {
          som?.dispose();
        }
      },
    });
    expect(failures.slice(0, 5)).toEqual([]);
    // The mutations reach both outcomes: a fuzz that only produces parse errors tests nothing.
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes.coded).toBeGreaterThan(300);
  });
});
