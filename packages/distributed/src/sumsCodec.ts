import { SomError } from '@somkit/plugin-api';
import type { NeuronSums } from '@somkit/core';

/** {@link NeuronSums} as JSON: the float32 sums as base64 of their little-endian bytes. */
export interface EncodedSums {
  sums: string;
  qeSum: number;
  teCount: number;
  n: number;
  units: number;
  dims: number;
}

/** Encodes per-neuron sums for a BullMQ job return value (JSON, binary-safe). */
export function encodeSums(s: NeuronSums): EncodedSums {
  return {
    sums: Buffer.from(s.sums.buffer, s.sums.byteOffset, s.sums.byteLength).toString('base64'),
    qeSum: s.qeSum,
    teCount: s.teCount,
    n: s.n,
    units: s.units,
    dims: s.dims,
  };
}

/**
 * Decodes and checks {@link encodeSums} output (untrusted: it came through Redis).
 * @throws SomError ERR_MODEL_FORMAT naming what is wrong
 */
export function decodeSums(v: unknown): NeuronSums {
  const o = v as Partial<Record<keyof EncodedSums, unknown>> | null;
  const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  if (typeof o !== 'object' || o === null || typeof o.sums !== 'string' || !isNum(o.qeSum) || !isNum(o.teCount) || !isCount(o.n) || !isCount(o.units) || !isCount(o.dims)) {
    throw new SomError('ERR_MODEL_FORMAT', 'A worker returned malformed per-neuron sums: expected {sums: base64, qeSum, teCount, n, units, dims}.');
  }
  const bytes = Buffer.from(o.sums, 'base64');
  const expected = o.units * (o.dims + 1) * 4;
  if (bytes.byteLength !== expected) {
    throw new SomError('ERR_MODEL_FORMAT', `A worker returned ${bytes.byteLength} bytes of sums; ${o.units} units × ${o.dims + 1} columns need ${expected}.`);
  }
  const sums = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(sums.buffer).set(bytes);
  return { sums, qeSum: o.qeSum, teCount: o.teCount, n: o.n, units: o.units, dims: o.dims };
}
