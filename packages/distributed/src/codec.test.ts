import { describe, expect, it } from 'vitest';
import { isSomError } from '@somkit/plugin-api';
import { decodeSums, encodeSums } from './sumsCodec.js';
import { jobErrorMessage, shardJobError } from './jobError.js';
import { SomError } from '@somkit/plugin-api';
import { redactUrl, toConnectionOptions } from './connection.js';
import { codebookVersion, versionHash, contentHash } from './codebookVersion.js';
import { chunkShape } from './chunkWidth.js';
import { checkJobData } from './ShardJob.js';
import { parseRunState } from './RunState.js';
import { runKeys } from './runKeys.js';

describe('per-neuron sums through JSON', () => {
  it('round-trips bit-exactly through base64 and JSON', () => {
    const sums = Float32Array.from({ length: 4 * 3 }, (_, i) => Math.fround(i / 7 - 0.3));
    const s = { sums, qeSum: 1.25, teCount: 3, n: 9, units: 4, dims: 2 };
    const back = decodeSums(JSON.parse(JSON.stringify(encodeSums(s))));
    expect(back).toEqual(s);
    expect(back.sums).toBeInstanceOf(Float32Array);
  });

  it('refuses malformed or mis-sized sums with ERR_MODEL_FORMAT', () => {
    const ok = encodeSums({ sums: new Float32Array(6), qeSum: 0, teCount: 0, n: 0, units: 2, dims: 2 });
    expect(() => decodeSums({ ...ok, units: 3 })).toThrow(/24 bytes of sums; 3 units × 3 columns need 36/);
    let err: unknown;
    try {
      decodeSums({ ...ok, n: -1 });
    } catch (e) {
      err = e;
    }
    expect(isSomError(err, 'ERR_MODEL_FORMAT')).toBe(true);
    expect(() => decodeSums(null)).toThrow(/malformed/);
  });
});

describe('job errors', () => {
  it('keeps the SomError code through the failedReason string', () => {
    const msg = jobErrorMessage(new SomError('ERR_SHAPE_MISMATCH', 'width 9 vs 8'));
    expect(msg).toBe('[ERR_SHAPE_MISMATCH] width 9 vs 8');
    const e = shardJobError(msg, { shardId: 2, epoch: 1, attempts: 3, shard: { kind: 'npy' } });
    expect(e.code).toBe('ERR_SHAPE_MISMATCH');
    expect(e.message).toMatch(/^Shard 2 failed in epoch 1 after 3 attempt\(s\): width 9 vs 8/);
    expect(e.details).toMatchObject({ shardId: 2, epoch: 1, attempts: 3 });
    expect(shardJobError('boom', { shardId: 0, epoch: -1, attempts: 1, shard: {} }).code).toBe('ERR_IO');
    expect(shardJobError('[ERR_NOPE] x', { shardId: 0, epoch: 0, attempts: 1, shard: {} }).code).toBe('ERR_IO');
  });
});

describe('small helpers', () => {
  it('connections: URLs, options, redaction', () => {
    expect(toConnectionOptions('redis://127.0.0.1:6380')).toMatchObject({ url: 'redis://127.0.0.1:6380', maxRetriesPerRequest: null });
    expect(toConnectionOptions({ host: 'h', port: 1 })).toMatchObject({ host: 'h', port: 1, maxRetriesPerRequest: null });
    expect(() => toConnectionOptions('http://x')).toThrow(/redis:\/\//);
    expect(() => toConnectionOptions('not a url')).toThrow(/Redis URL/);
    expect(redactUrl('redis://u:secret@h:1/0')).toBe('redis://u:***@h:1/0');
  });

  it('versions, hashes, keys, chunk shapes', () => {
    const w = Float32Array.from([1, 2, 3]);
    const v = codebookVersion(4, w);
    expect(v).toMatch(/^4-[0-9a-f]{16}$/);
    expect(versionHash(v)).toBe(contentHash(w));
    expect(codebookVersion(4, Float32Array.from([1, 2, 3.0001]))).not.toBe(v);
    expect(runKeys('r1', 'p')).toEqual({ state: 'p:run:r1:state', model: 'p:run:r1:model', codebook: 'p:run:r1:codebook' });
    expect(chunkShape([[1, 2, 3]])).toEqual([1, 3]);
    expect(chunkShape({ data: new Float32Array(6), shape: [2, 3] })).toEqual([2, 3]);
  });

  it('job payloads and stored states are checked', () => {
    expect(() => checkJobData({ runId: 'r' })).toThrow(/modelKey/);
    expect(() => checkJobData(null)).toThrow(/data object/);
    expect(() => parseRunState('{', 'r')).toThrow(/not JSON/);
    expect(() => parseRunState('{"format":"x"}', 'r')).toThrow(/malformed/);
  });
});
