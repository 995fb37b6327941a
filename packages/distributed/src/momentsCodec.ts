import { SomError } from '@somkit/plugin-api';
import type { ShardMoments } from './shardMoments.js';

/** {@link ShardMoments} as JSON: means and the scatter's upper triangle as base64 float64. */
export interface EncodedMoments {
  n: number;
  dims: number;
  mean: string;
  scatter: string;
}

const f64ToBase64 = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function base64ToF64(text: unknown, count: number, what: string): Float64Array {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'base64') : undefined;
  if (bytes === undefined || bytes.byteLength !== count * 8) {
    throw new SomError('ERR_MODEL_FORMAT', `A worker returned ${bytes?.byteLength ?? 'no'} bytes of ${what}; ${count} float64 values need ${count * 8}.`);
  }
  const out = new Float64Array(count);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Encodes moments for a job return value: [d] means and d(d+1)/2 scatter values (upper triangle). */
export function encodeMoments(m: ShardMoments): EncodedMoments {
  const d = m.dims;
  const upper = new Float64Array((d * (d + 1)) / 2);
  let k = 0;
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) upper[k++] = m.scatter[i * d + j]!;
  return { n: m.n, dims: d, mean: f64ToBase64(m.mean), scatter: f64ToBase64(upper) };
}

/**
 * Decodes and checks {@link encodeMoments} output (untrusted: it came through Redis): sizes,
 * finite values, a scatter with no negative diagonal.
 * @throws SomError ERR_MODEL_FORMAT (malformed), ERR_NON_FINITE (NaN/±Infinity)
 */
export function decodeMoments(v: unknown): ShardMoments {
  const o = v as Partial<Record<keyof EncodedMoments, unknown>> | null;
  const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  if (typeof o !== 'object' || o === null || !isCount(o.n) || !isCount(o.dims) || o.dims < 1) {
    throw new SomError('ERR_MODEL_FORMAT', 'A worker returned malformed moments: expected {n, dims, mean: base64, scatter: base64}.');
  }
  const d = o.dims;
  const mean = base64ToF64(o.mean, d, 'means');
  const upper = base64ToF64(o.scatter, (d * (d + 1)) / 2, 'scatter');
  const scatter = new Float64Array(d * d);
  let k = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      scatter[i * d + j] = upper[k]!;
      scatter[j * d + i] = upper[k++]!;
    }
  }
  if (!mean.every(Number.isFinite) || !upper.every(Number.isFinite)) {
    throw new SomError('ERR_NON_FINITE', 'A worker returned moments with NaN or ±Infinity (values beyond the float32 range in its shard?).');
  }
  for (let i = 0; i < d; i++) {
    if (scatter[i * d + i]! < 0) throw new SomError('ERR_MODEL_FORMAT', `A worker returned a scatter with a negative diagonal entry (column ${i}): not moments of real rows.`);
  }
  return { n: o.n, dims: d, mean, scatter };
}
