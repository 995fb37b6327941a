import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { isSomError, SomError } from '@somkit/plugin-api';
import { type NeuronSums } from '@somkit/core';
import { Rng } from '@somkit/geometry';
import { checkShardSums, descriptorRows } from './checkShardSums.js';
import { checkInitJobData } from './InitJob.js';
import { oneLine, redactedReaderError } from './jobError.js';
import { decodeMoments, encodeMoments } from './momentsCodec.js';
import { resolveInDataRoot } from './resolveInDataRoot.js';
import { covariance, emptyMoments, mergeMoments, rowMoments } from './shardMoments.js';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return isSomError(e) ? e.code : String(e);
  }
  return undefined;
};

describe('shard moments', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('pieces merged in any grouping give the two-pass float64 mean and covariance of all rows', async () => {
    const n = 1_000;
    const d = 5;
    const r = new Rng(4);
    // A large common offset: Σxxᵀ − n·meanᵀmean would lose most digits here; centred pieces do not.
    const x = Float32Array.from({ length: n * d }, (_, k) => 1e4 + r.normal() * (1 + (k % d)));
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * d + j]! / n;
    const cov = new Float64Array(d * d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] = cov[a * d + b]! + ((x[i * d + a]! - mean[a]!) * (x[i * d + b]! - mean[b]!)) / (n - 1);
    const before = tf.memory().numTensors;
    for (const cuts of [[0, n], [0, 1, 333, 334, 900, n], [0, 500, n]]) {
      let m = emptyMoments(d);
      for (let c = 0; c + 1 < cuts.length; c++) m = mergeMoments(m, await rowMoments(x.subarray(cuts[c]! * d, cuts[c + 1]! * d), cuts[c + 1]! - cuts[c]!, d));
      expect(m.n).toBe(n);
      for (let j = 0; j < d; j++) expect(Math.abs(m.mean[j]! - mean[j]!)).toBeLessThan(1e-9 * 1e4);
      const got = covariance(m);
      for (let k = 0; k < d * d; k++) expect(Math.abs(got[k]! - cov[k]!)).toBeLessThan(1e-5 * Math.abs(cov[Math.floor(k / d) * (d + 1)]!));
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(codeOf(() => mergeMoments(emptyMoments(2), { ...emptyMoments(3), n: 1 }))).toBe('ERR_SHAPE_MISMATCH');
  });

  it('round-trip through JSON bit for bit; malformed, non-finite or impossible moments are refused', async () => {
    const m = await rowMoments(Float32Array.from([1, 2, 3, 4, 5, 7]), 3, 2);
    const back = decodeMoments(JSON.parse(JSON.stringify(encodeMoments(m))));
    expect(back).toEqual(m);
    const ok = encodeMoments(m);
    expect(codeOf(() => decodeMoments({ ...ok, dims: 3 }))).toBe('ERR_MODEL_FORMAT');
    expect(codeOf(() => decodeMoments({ ...ok, n: -1 }))).toBe('ERR_MODEL_FORMAT');
    expect(codeOf(() => decodeMoments(null))).toBe('ERR_MODEL_FORMAT');
    expect(codeOf(() => decodeMoments(encodeMoments({ ...m, mean: Float64Array.from([Number.NaN, 0]) })))).toBe('ERR_NON_FINITE');
    expect(codeOf(() => decodeMoments(encodeMoments({ ...m, scatter: Float64Array.from([-1, 0, 0, 1]) })))).toBe('ERR_MODEL_FORMAT');
  });
});

describe('checkShardSums', () => {
  /** 3 units × 2 dims, 5 samples: 2 at unit 0, 3 at unit 2. */
  const good = (): NeuronSums => ({ sums: Float32Array.from([1, 2, 2, 0, 0, 0, 3, 3, 3]), qeSum: 1.5, teCount: 1, n: 5, units: 3, dims: 2 });

  it('passes consistent sums and names what is wrong otherwise', () => {
    expect(() => checkShardSums(good(), 5)).not.toThrow();
    expect(() => checkShardSums(good(), undefined)).not.toThrow();
    const nan = good();
    nan.sums[4] = Number.NaN;
    expect(() => checkShardSums(nan, 5)).toThrow(/holding NaN \(unit 1, column 1\)/);
    expect(codeOf(() => checkShardSums(nan, 5))).toBe('ERR_NON_FINITE');
    expect(codeOf(() => checkShardSums({ ...good(), qeSum: Number.POSITIVE_INFINITY }, 5))).toBe('ERR_NON_FINITE');
    expect(() => checkShardSums({ ...good(), n: 6 }, undefined)).toThrow(/add up to 5 samples, but the result says n = 6/);
    expect(() => checkShardSums(good(), 7)).toThrow(/5 samples, but the shard has 7 rows/);
    const frac = good();
    frac.sums[2] = 1.5;
    expect(codeOf(() => checkShardSums(frac, undefined))).toBe('ERR_MODEL_FORMAT');
    expect(codeOf(() => checkShardSums({ ...good(), teCount: 6 }, 5))).toBe('ERR_MODEL_FORMAT');
    expect(codeOf(() => checkShardSums({ ...good(), qeSum: -1 }, 5))).toBe('ERR_MODEL_FORMAT');
  });

  it('descriptorRows: rowEnd − rowStart of the built-in kinds only', () => {
    expect(descriptorRows({ kind: 'npy', path: 'x', rowStart: 10, rowEnd: 25 })).toBe(15);
    expect(descriptorRows({ kind: 'csv', path: 'x', rowStart: 0, rowEnd: 3 })).toBe(3);
    expect(descriptorRows({ kind: 'slow', rowStart: 0, rowEnd: 3 })).toBeUndefined();
    expect(descriptorRows({ kind: 'npy', path: 'x', rowStart: 5, rowEnd: 1 })).toBeUndefined();
  });
});

describe('init job payloads', () => {
  const base = { runId: 'r', task: 'rows', shardId: 0, shard: { kind: 'npy' }, dims: 2, rows: [0, 3, 9] };
  it('are checked field by field', () => {
    expect(checkInitJobData(base)).toEqual(base);
    expect(() => checkInitJobData({ ...base, task: 'steal' })).toThrow(/task must be one of count, moments, rows/);
    expect(() => checkInitJobData({ ...base, rows: [3, 3] })).toThrow(/ascending, distinct/);
    expect(() => checkInitJobData({ ...base, rows: [] })).toThrow(/rows must be/);
    expect(() => checkInitJobData({ ...base, dims: 0 })).toThrow(/dims an integer ≥ 1/);
    expect(() => checkInitJobData({ ...base, shard: null })).toThrow(/descriptor object/);
    expect(checkInitJobData({ ...base, task: 'moments', rows: undefined }).task).toBe('moments');
  });
});

describe('redacted reader errors', () => {
  it('keep the code, line/row/column numbers and an errno code, never the reader\'s text', () => {
    const parse = new SomError('ERR_PARSE', 'Line 3, column "secret_header": expected a number, got "TOPSECRET42".', { details: { line: 3, column: 'secret_header', cell: 'TOPSECRET42' } });
    const e = redactedReaderError(parse);
    expect(e.code).toBe('ERR_PARSE');
    expect(e.message).toMatch(/^Reading the shard failed: the shard could not be parsed \(line 3\)\./);
    expect(e.message).not.toMatch(/TOPSECRET42|secret_header/);
    expect(e.cause).toBe(parse);
    expect(e.details).toEqual({ redacted: true });
    const io = redactedReaderError(new SomError('ERR_IO', 'Cannot read "/data/x": ENOENT', { cause: Object.assign(new Error('x'), { code: 'ENOENT' }) }));
    expect(io.message).toMatch(/could not be read \(ENOENT\)/);
    expect(redactedReaderError(new Error('row 1: wages=123456')).code).toBe('ERR_IO');
    expect(redactedReaderError(new Error('row 1: wages=123456')).message).not.toMatch(/123456/);
    expect(oneLine('a\n  b\tc ')).toBe('a b c');
  });
});

describe('resolveInDataRoot', () => {
  let root = '';
  let outside = '';
  beforeAll(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'somkit-root-')));
    outside = await realpath(await mkdtemp(join(tmpdir(), 'somkit-out-')));
    await mkdir(join(root, 'sub'));
    await writeFile(join(root, 'sub', 'a.npy'), '');
    await writeFile(join(outside, 'b.npy'), '');
    await symlink(join(outside, 'b.npy'), join(root, 'b.npy'));
    await symlink(outside, join(root, 'out'));
    await symlink(join(root, 'sub', 'a.npy'), join(root, 'inner.npy'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('returns the real path inside the root, refuses paths that lead out (symlinks followed)', async () => {
    expect(await resolveInDataRoot(join(root, 'sub', 'a.npy'), root)).toBe(join(root, 'sub', 'a.npy'));
    expect(await resolveInDataRoot('sub/a.npy', root)).toBe(join(root, 'sub', 'a.npy'));
    expect(await resolveInDataRoot('inner.npy', root)).toBe(join(root, 'sub', 'a.npy'));
    // Missing inside the root: allowed here (the reader then fails with ERR_IO).
    expect(await resolveInDataRoot('sub/none/c.npy', root)).toBe(join(root, 'sub', 'none', 'c.npy'));
    for (const p of [join(outside, 'b.npy'), 'b.npy', 'out/b.npy', 'out/missing.npy', '../x.npy', '/etc/passwd', root + '-sibling/x.npy']) {
      await expect(resolveInDataRoot(p, root), p).rejects.toThrow(/^\[ERR_INVALID_INPUT\] .*outside this worker's data root/);
    }
  });
});
