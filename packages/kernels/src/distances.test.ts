import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { isSomError, type DistancePlugin, type PreparedDistance } from '@somkit/plugin-api';
import { rng } from '@somkit/testing';
import { BROADCAST_CHUNK_ELEMENTS, broadcastPairwise } from './broadcastPairwise.js';
import { chebyshev } from './chebyshev.js';
import { cosine } from './cosine.js';
import { euclidean } from './euclidean.js';
import { manhattan } from './manhattan.js';
import { minkowski } from './minkowski.js';
import { sqeuclidean } from './sqeuclidean.js';

type Vec = number[];

function randMatrix(rows: number, cols: number, seed: number, lo = -1, hi = 1): Vec[] {
  const r = rng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => lo + (hi - lo) * r()));
}

// Plain-JS references, in float64.
const refs: Record<string, (a: Vec, b: Vec) => number> = {
  sqeuclidean: (a, b) => a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0),
  euclidean: (a, b) => Math.sqrt(refs.sqeuclidean!(a, b)),
  manhattan: (a, b) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0),
  chebyshev: (a, b) => a.reduce((s, v, i) => Math.max(s, Math.abs(v - b[i]!)), 0),
  cosine: (a, b) => {
    const dot = a.reduce((s, v, i) => s + v * b[i]!, 0);
    const na = Math.max(Math.hypot(...a), 1e-12);
    const nb = Math.max(Math.hypot(...b), 1e-12);
    return Math.min(2, Math.max(0, 1 - dot / (na * nb)));
  },
  minkowski3: (a, b) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!) ** 3, 0) ** (1 / 3),
  minkowski1_5: (a, b) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!) ** 1.5, 0) ** (1 / 1.5),
  minkowski50: (a, b) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!) ** 50, 0) ** (1 / 50),
};
function refPairwise(ref: (a: Vec, b: Vec) => number, xs: Vec[], ws: Vec[]): Vec[] {
  return xs.map((x) => ws.map((w) => ref(x, w)));
}

/** |a − b| ≤ rel·max(|b|, 1), element-wise. */
function expectClose(actual: Vec[], expected: Vec[], rel = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(row.length).toBe(expected[i]!.length);
    row.forEach((v, j) => {
      const e = expected[i]![j]!;
      if (Math.abs(v - e) > rel * Math.max(Math.abs(e), 1)) {
        throw new Error(`[${i}, ${j}]: expected ${e}, got ${v} (rel ${rel})`);
      }
    });
  });
}

/** Runs `fn` and asserts it leaves the live tensor count unchanged. */
function leakFree(fn: () => void): () => void {
  return () => {
    const before = tf.memory().numTensors;
    fn();
    expect(tf.memory().numTensors).toBe(before);
  };
}

/** pairwise on plain arrays; checks that the result is the only new tensor and inputs survive. */
function pairwise(dist: DistancePlugin, xs: Vec[], ws: Vec[]): Vec[] {
  const x = tf.tensor2d(xs);
  const w = tf.tensor2d(ws);
  const before = tf.memory().numTensors;
  const out = dist.pairwise(x, w);
  expect(tf.memory().numTensors).toBe(before + 1);
  expect(out.shape).toEqual([xs.length, ws.length]);
  expect(x.isDisposed || w.isDisposed).toBe(false);
  const arr = out.arraySync();
  tf.dispose([out, x, w]);
  return arr;
}

/** prepare → score → toDistance → dispose on plain arrays, checking tensor ownership. */
function viaPrepare(dist: DistancePlugin, xs: Vec[], ws: Vec[]): Vec[] {
  const x = tf.tensor2d(xs);
  const w = tf.tensor2d(ws);
  const before = tf.memory().numTensors;
  // Prepared inside a tidy on purpose: the preparation must own (keep) its tensors.
  let p!: PreparedDistance;
  tf.tidy(() => {
    p = dist.prepare!(w);
  });
  const s = p.score(x);
  expect(s.shape).toEqual([xs.length, ws.length]);
  const d = p.toDistance(s);
  expect(d).not.toBe(s);
  p.dispose();
  p.dispose(); // idempotent
  expect(tf.memory().numTensors).toBe(before + 2);
  const arr = d.arraySync();
  tf.dispose([s, d, x, w]);
  return arr;
}

const cases: { name: string; make: () => DistancePlugin; ref: (a: Vec, b: Vec) => number; selfTol: number; prepared: boolean }[] = [
  { name: 'euclidean', make: () => euclidean(), ref: refs.euclidean!, selfTol: 3e-3, prepared: true },
  { name: 'sqeuclidean', make: () => sqeuclidean(), ref: refs.sqeuclidean!, selfTol: 1e-5, prepared: true },
  { name: 'cosine', make: () => cosine(), ref: refs.cosine!, selfTol: 1e-5, prepared: true },
  { name: 'manhattan', make: () => manhattan(), ref: refs.manhattan!, selfTol: 0, prepared: false },
  { name: 'chebyshev', make: () => chebyshev(), ref: refs.chebyshev!, selfTol: 0, prepared: false },
  { name: 'minkowski', make: () => minkowski({ p: 3 }), ref: refs.minkowski3!, selfTol: 0, prepared: false },
  { name: 'minkowski', make: () => minkowski({ p: 1.5 }), ref: refs.minkowski1_5!, selfTol: 0, prepared: false },
];

describe('distance plugin objects', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('carry kind, name, apiVersion and JSON options, and are frozen', leakFree(() => {
    for (const c of cases) {
      const p = c.make();
      expect(p.kind).toBe('distance');
      expect(p.name).toBe(c.name);
      expect(p.apiVersion).toBe(2);
      expect(Object.isFrozen(p)).toBe(true);
      expect(typeof p.prepare === 'function').toBe(c.prepared);
    }
    expect(euclidean().options).toBeUndefined();
    expect(minkowski({ p: 3 }).options).toEqual({ p: 3 });
  }));

  it('minkowski rejects a missing, non-finite or < 1 p with ERR_INVALID_CONFIG', leakFree(() => {
    const bad: unknown[] = [undefined, {}, { p: 0.5 }, { p: 0 }, { p: -2 }, { p: Number.NaN }, { p: Number.POSITIVE_INFINITY }, { p: '2' }];
    for (const o of bad) {
      let err: unknown;
      try {
        minkowski(o as { p: number });
      } catch (e) {
        err = e;
      }
      expect(isSomError(err, 'ERR_INVALID_CONFIG')).toBe(true);
      expect((err as Error).message).toMatch(/p ≥ 1/);
    }
  }));
});

for (const b of ['cpu', 'wasm']) {
  describe(`distances on ${b}`, () => {
    beforeAll(async () => {
      await tf.setBackend(b);
      await tf.ready();
      expect(tf.getBackend()).toBe(b);
    });

    it('match the anchor cases: x=(0,0), w=(1,1)', leakFree(() => {
      const x = [[0, 0]];
      const w = [[1, 1]];
      expectClose(pairwise(euclidean(), x, w), [[Math.SQRT2]], 1e-6);
      expectClose(pairwise(sqeuclidean(), x, w), [[2]], 1e-6);
      expectClose(pairwise(manhattan(), x, w), [[2]], 1e-6);
      // x is the zero vector: normalised with max(‖x‖, 1e-12), so the distance is 1.
      expectClose(pairwise(cosine(), x, w), [[1]], 1e-6);
      expectClose(pairwise(cosine(), x, x), [[1]], 1e-6);
    }));

    it('chebyshev takes |x − w| before the max', leakFree(() => {
      expectClose(pairwise(chebyshev(), [[1, 3]], [[1, 1]]), [[2]], 1e-6);
      // A signed max(x − w) would give −0.1 and −5 and pick the far unit.
      const d = pairwise(chebyshev(), [[0, 0]], [[5, 5], [0.1, 0.1]]);
      expectClose(d, [[5, 0.1]], 1e-6);
      expect(d[0]!.indexOf(Math.min(...d[0]!))).toBe(1);
    }));

    it('cosine spans [0, 2]: opposite vectors are at distance 2', leakFree(() => {
      expectClose(pairwise(cosine(), [[1, 2]], [[2, 4], [-2, 1], [-1, -2]]), [[0, 1, 2]], 1e-6);
    }));

    for (const c of cases) {
      const label = `${c.name}${c.name === 'minkowski' ? ` p=${String((c.make().options as { p: number }).p)}` : ''}`;

      it(`${label}: pairwise matches a plain-JS reference on random data, shape [n, u]`, leakFree(() => {
        const xs = randMatrix(13, 7, 1);
        const ws = randMatrix(11, 7, 2);
        expectClose(pairwise(c.make(), xs, ws), refPairwise(c.ref, xs, ws));
        // Non-square shapes the other way round, and a single sample.
        expectClose(pairwise(c.make(), ws.slice(0, 3), xs), refPairwise(c.ref, ws.slice(0, 3), xs));
        expectClose(pairwise(c.make(), xs.slice(0, 1), ws), refPairwise(c.ref, xs.slice(0, 1), ws));
      }));

      it(`${label}: symmetric, and ≈ 0 from a vector to itself`, leakFree(() => {
        const xs = randMatrix(9, 5, 3);
        const ws = randMatrix(6, 5, 4);
        const a = pairwise(c.make(), xs, ws);
        const bT = pairwise(c.make(), ws, xs);
        // d(x_i, w_j) = d(w_j, x_i): compare with the transpose of pairwise(w, x).
        expectClose(a, xs.map((_, i) => ws.map((_, j) => bT[j]![i]!)));
        const self = pairwise(c.make(), xs, xs);
        self.forEach((row, i) => expect(Math.abs(row[i]!)).toBeLessThanOrEqual(c.selfTol));
        self.flat().forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
      }));

      if (c.prepared) {
        it(`${label}: prepare(w).toDistance(score(x)) equals pairwise`, leakFree(() => {
          const xs = randMatrix(10, 6, 5);
          const ws = randMatrix(8, 6, 6);
          expectClose(viaPrepare(c.make(), xs, ws), pairwise(c.make(), xs, ws), 1e-6);
          // The score orders units like the distance does.
          const x = tf.tensor2d(xs);
          const w = tf.tensor2d(ws);
          const p = c.make().prepare!(w);
          const s = p.score(x);
          const d = c.make().pairwise(x, w);
          const [sa, da] = [tf.argMin(s, 1), tf.argMin(d, 1)];
          expect(sa.arraySync()).toEqual(da.arraySync());
          p.dispose();
          tf.dispose([x, w, s, d, sa, da]);
        }));
      }
    }

    it('minkowski p=1 equals manhattan and p=2 equals euclidean', leakFree(() => {
      const xs = randMatrix(12, 9, 7, -3, 3);
      const ws = randMatrix(10, 9, 8, -3, 3);
      expectClose(pairwise(minkowski({ p: 1 }), xs, ws), pairwise(manhattan(), xs, ws), 1e-5);
      expectClose(pairwise(minkowski({ p: 2 }), xs, ws), pairwise(euclidean(), xs, ws));
    }));

    it('minkowski with a large p neither overflows nor underflows', leakFree(() => {
      const big = randMatrix(5, 4, 9, -20, 20);
      const bigW = randMatrix(4, 4, 10, -20, 20);
      expectClose(pairwise(minkowski({ p: 50 }), big, bigW), refPairwise(refs.minkowski50!, big, bigW));
      const tiny = randMatrix(5, 4, 11, -1e-3, 1e-3);
      const tinyW = randMatrix(4, 4, 12, -1e-3, 1e-3);
      const got = pairwise(minkowski({ p: 50 }), tiny, tinyW);
      expectClose(got.map((r) => r.map((v) => v * 1e3)), refPairwise(refs.minkowski50!, tiny, tinyW).map((r) => r.map((v) => v * 1e3)));
    }));

    it('broadcast distances chunk over samples and give the unchunked result', leakFree(() => {
      const xs = randMatrix(23, 5, 13);
      const ws = randMatrix(7, 5, 14);
      const x = tf.tensor2d(xs);
      const w = tf.tensor2d(ws);
      const before = tf.memory().numTensors;
      // Budget of 2 samples × 7 units × 5 features per chunk → 12 chunks, the last one short.
      const chunked = broadcastPairwise(x, w, (a) => tf.sum(a, 2), 2 * 7 * 5 + 3);
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(chunked.shape).toEqual([23, 7]);
      expectClose(chunked.arraySync(), refPairwise(refs.manhattan!, xs, ws));
      // A budget below one sample still makes progress, one sample per chunk.
      const single = broadcastPairwise(x, w, (a) => tf.max(a, 2), 1);
      expectClose(single.arraySync(), refPairwise(refs.chebyshev!, xs, ws));
      tf.dispose([x, w, chunked, single]);
      expect(BROADCAST_CHUNK_ELEMENTS).toBe(4 * 1024 * 1024);
    }));

    it('manhattan chunks at the real 4M-element budget', leakFree(() => {
      // u·d = 2^20, so 4 samples per chunk and 3 chunks for 10 samples.
      const xs = randMatrix(10, 1024, 15);
      const ws = randMatrix(1024, 1024, 16);
      expectClose(pairwise(manhattan(), xs, ws), refPairwise(refs.manhattan!, xs, ws));
    }));
  });
}
