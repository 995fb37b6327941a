import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { DistancePlugin } from '@somkit/plugin-api';
import { rng } from '@somkit/testing';
import { chebyshev } from './chebyshev.js';
import { cosine } from './cosine.js';
import { euclidean } from './euclidean.js';
import { manhattan } from './manhattan.js';
import { minkowski } from './minkowski.js';
import { sqeuclidean } from './sqeuclidean.js';

type Vec = number[];

// Plain-JS float64 references over the observed dimensions (NaN = missing), rescaled to all d.
const obs = (a: Vec): number[] => a.flatMap((v, j) => (Number.isNaN(v) ? [] : [j]));
const refs: Record<string, (a: Vec, b: Vec) => number> = {
  sqeuclidean: (a, b) => (obs(a).reduce((s, j) => s + (a[j]! - b[j]!) ** 2, 0) * a.length) / obs(a).length,
  euclidean: (a, b) => Math.sqrt(refs.sqeuclidean!(a, b)),
  manhattan: (a, b) => (obs(a).reduce((s, j) => s + Math.abs(a[j]! - b[j]!), 0) * a.length) / obs(a).length,
  chebyshev: (a, b) => obs(a).reduce((s, j) => Math.max(s, Math.abs(a[j]! - b[j]!)), 0),
  minkowski3: (a, b) => ((obs(a).reduce((s, j) => s + Math.abs(a[j]! - b[j]!) ** 3, 0) * a.length) / obs(a).length) ** (1 / 3),
  cosine: (a, b) => {
    const o = obs(a);
    const dot = o.reduce((s, j) => s + a[j]! * b[j]!, 0);
    const na = Math.max(Math.sqrt(o.reduce((s, j) => s + a[j]! ** 2, 0)), 1e-12);
    const nb = Math.max(Math.sqrt(o.reduce((s, j) => s + b[j]! ** 2, 0)), 1e-12);
    return Math.min(2, Math.max(0, 1 - dot / (na * nb)));
  },
};
const plugins: Record<string, DistancePlugin> = {
  sqeuclidean: sqeuclidean(),
  euclidean: euclidean(),
  manhattan: manhattan(),
  chebyshev: chebyshev(),
  minkowski3: minkowski({ p: 3 }),
  cosine: cosine(),
};

function sample(n: number, d: number, seed: number, missingShare: number): Vec[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const row = Array.from({ length: d }, () => 2 * r() - 1);
    for (let j = 0; j < d; j++) if (r() < missingShare) row[j] = Number.NaN;
    if (row.every((v) => Number.isNaN(v))) row[0] = 0.5;
    return row;
  });
}

describe('masked distances (missing values as NaN)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const x = sample(13, 6, 1, 0.3);
  const w = sample(5, 6, 2, 0);

  for (const [name, plugin] of Object.entries(plugins)) {
    it(`${name}: pairwise and prepare over the observed dimensions match a float64 reference`, () => {
      const xt = tf.tensor2d(x);
      const wt = tf.tensor2d(w);
      const before = tf.memory().numTensors;
      const got = plugin.masked!.pairwise(xt, wt);
      const prepared = plugin.masked!.prepare?.(wt);
      const viaPrepared = prepared ? tf.tidy(() => prepared.toDistance(prepared.score(xt))) : undefined;
      prepared?.dispose();
      const values = got.arraySync();
      const values2 = viaPrepared?.arraySync();
      tf.dispose([got, viaPrepared as tf.Tensor]);
      expect(tf.memory().numTensors).toBe(before);
      for (let i = 0; i < x.length; i++) {
        for (let k = 0; k < w.length; k++) {
          const want = refs[name]!(x[i]!, w[k]!);
          expect(values[i]![k]).toBeCloseTo(want, 4);
          if (values2) expect(values2[i]![k]).toBeCloseTo(want, 4);
        }
      }
      tf.dispose([xt, wt]);
    });

    it(`${name}: on complete data the masked form equals the plain distance`, () => {
      const full = sample(9, 6, 3, 0);
      const [a, b] = tf.tidy(() => {
        const xt = tf.tensor2d(full);
        const wt = tf.tensor2d(w);
        return [plugin.masked!.pairwise(xt, wt).arraySync(), plugin.pairwise(xt, wt).arraySync()];
      });
      for (let i = 0; i < a.length; i++) for (let k = 0; k < w.length; k++) expect(a[i]![k]).toBeCloseTo(b[i]![k]!, 5);
    });
  }

  it('a sample with one observed value is as far as that value says, rescaled to all dimensions', () => {
    const [d] = tf.tidy(() => sqeuclidean().masked!.pairwise(tf.tensor2d([[Number.NaN, 3, Number.NaN, Number.NaN]]), tf.tensor2d([[9, 1, 9, 9]])).arraySync());
    expect(d![0]).toBeCloseTo(4 * 4, 5); // (3 − 1)² · 4 / 1
  });
});
