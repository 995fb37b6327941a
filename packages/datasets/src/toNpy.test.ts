import { readFileSync } from 'node:fs';
import { isSomError } from '@somkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { parseNpy } from './parseNpy.js';
import { toNpy } from './toNpy.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const text = (b: Uint8Array): string => String.fromCharCode(...b);

describe('toNpy', () => {
  it('writes the same bytes as np.save (float32 and int32)', () => {
    expect(toNpy(Float32Array.from([1.5, -2.25, 3, 4, 0.5, 6]), [2, 3])).toEqual(fixture('f4_toNpy_ref.npy'));
    expect(toNpy(Int32Array.from([1, -2, 3, 4, 5, 6]), [3, 2])).toEqual(fixture('i4_toNpy_ref.npy'));
  });

  it('writes version 1.0 with a 64-byte aligned, newline-terminated header', () => {
    for (const shape of [[], [7], [2, 3], [100000, 1], [1, 2, 3, 4, 5, 6, 7, 8]]) {
      const count = shape.reduce((a, b) => a * b, 1);
      const bytes = toNpy(new Float32Array(count), shape);
      expect(text(bytes.subarray(0, 6))).toBe('\x93NUMPY');
      expect([bytes[6], bytes[7]]).toEqual([1, 0]);
      const hlen = (bytes[8] ?? 0) | ((bytes[9] ?? 0) << 8);
      expect((10 + hlen) % 64).toBe(0);
      expect(bytes[10 + hlen - 1]).toBe(0x0a);
      expect(bytes.length).toBe(10 + hlen + count * 4);
      expect(text(bytes.subarray(10, 10 + hlen))).toContain("'descr': '<f4'");
    }
    expect(text(toNpy(new Int32Array(1), [1]).subarray(10, 80))).toContain("'shape': (1,)");
  });

  it('round-trips through parseNpy', () => {
    const data = Float32Array.from({ length: 60 }, (_, i) => Math.fround(Math.sin(i) * 1e3));
    for (const shape of [[60], [12, 5], [3, 4, 5]]) {
      const back = parseNpy(toNpy(data, shape));
      expect(back).toEqual({ data, shape, dtype: '<f4' });
    }
    const ints = Int32Array.from([-2147483648, -1, 0, 1, 16777216]);
    const backInts = parseNpy(toNpy(ints, [5]));
    expect(backInts.dtype).toBe('<i4');
    expect(Array.from(backInts.data)).toEqual(Array.from(ints));
  });

  it('rejects a shape that does not match the data', () => {
    for (const shape of [[2, 2], [-1, 6], [1.5, 4]]) {
      let err: unknown;
      try {
        toNpy(new Float32Array(6), shape);
      } catch (e) {
        err = e;
      }
      expect(isSomError(err, 'ERR_SHAPE_MISMATCH')).toBe(true);
    }
  });
});
