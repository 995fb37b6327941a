import { readFileSync } from 'node:fs';
import { isSomError, type SomError, type SomErrorCode } from '@somkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { parseNpy } from './parseNpy.js';

/** Fixtures written by numpy 2.x with scripts/make-npy-fixtures.py. */
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

function fails(bytes: Uint8Array, code: SomErrorCode = 'ERR_PARSE'): SomError {
  let err: unknown;
  try {
    parseNpy(bytes);
  } catch (e) {
    err = e;
  }
  expect(isSomError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
  return err as SomError;
}

/** A .npy file built by hand, byte for byte as numpy 1.x/2.x writes it. */
function handMade(descr: string, shape: string, payload: Uint8Array, fortran = false): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(payload, 10 + header.length);
  return out;
}

const BASE = [1.5, -2.25, 3, 4, 0.1, 1e10];

describe('parseNpy: numpy-written files', () => {
  it('reads <f8 and converts to float32', () => {
    const a = parseNpy(fixture('f8_2x3.npy'));
    expect(a.dtype).toBe('<f8');
    expect(a.shape).toEqual([2, 3]);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data)).toEqual(BASE.map(Math.fround));
  });

  it('reads <f4', () => {
    const a = parseNpy(fixture('f4_2x3.npy'));
    expect(a.dtype).toBe('<f4');
    expect(Array.from(a.data)).toEqual(BASE.map(Math.fround));
  });

  it('reads header versions 2.0 and 3.0', () => {
    for (const f of ['f8_v2.npy', 'f8_v3.npy']) {
      const a = parseNpy(fixture(f));
      expect(a.shape).toEqual([2, 3]);
      expect(Array.from(a.data)).toEqual(BASE.map(Math.fround));
    }
    expect(fixture('f8_v2.npy')[6]).toBe(2);
    expect(fixture('f8_v3.npy')[6]).toBe(3);
  });

  it('reads integer dtypes', () => {
    expect(parseNpy(fixture('i4_2x3.npy'))).toMatchObject({ dtype: '<i4', shape: [2, 3] });
    expect(Array.from(parseNpy(fixture('i4_2x3.npy')).data)).toEqual([1, -2, 3, 4, 5, Math.fround(2147483647)]);
    expect(Array.from(parseNpy(fixture('i8_2x3.npy')).data)).toEqual([1, -2, 3, 4, 5, 2 ** 40]);
    expect(parseNpy(fixture('u1_2x3.npy'))).toMatchObject({ dtype: '|u1', data: Float32Array.from([0, 1, 2, 127, 128, 255]) });
    expect(parseNpy(fixture('i2_2x3.npy'))).toMatchObject({ dtype: '<i2', data: Float32Array.from([0, -1, 2, -32768, 32767, 7]) });
  });

  it('reads 1-D and 3-D shapes', () => {
    expect(parseNpy(fixture('f4_1d.npy'))).toMatchObject({ shape: [5], data: Float32Array.from([0, 1, 2, 3, 4]) });
    expect(parseNpy(fixture('f4_2x2x2.npy')).shape).toEqual([2, 2, 2]);
  });

  it('reads from a Uint8Array that is a view into a larger buffer', () => {
    const f = fixture('f8_2x3.npy');
    const big = new Uint8Array(f.length + 3);
    big.set(f, 3);
    expect(Array.from(parseNpy(big.subarray(3)).data)).toEqual(BASE.map(Math.fround));
  });

  it('rejects Fortran order with the fix', () => {
    expect(fails(fixture('f4_fortran.npy')).message).toBe('Fortran-order .npy is not supported; save with np.ascontiguousarray');
  });

  it('rejects big-endian data', () => {
    expect(fails(fixture('f4_bigendian.npy')).message).toMatch(/Big-endian .*'>f4'/);
  });
});

describe('parseNpy: hand-made headers', () => {
  it('reads a header built exactly as numpy writes it', () => {
    const payload = new Uint8Array(48);
    const v = new DataView(payload.buffer);
    BASE.forEach((x, i) => v.setFloat64(i * 8, x, true));
    const bytes = handMade('<f8', '(2, 3)', payload);
    expect(bytes.length).toBe(128 + 48);
    expect(bytes).toEqual(fixture('f8_2x3.npy'));
    expect(Array.from(parseNpy(bytes).data)).toEqual(BASE.map(Math.fround));
  });

  it('reads 0-d arrays and zero-length axes', () => {
    const one = new Uint8Array(4);
    new DataView(one.buffer).setFloat32(0, 7, true);
    expect(parseNpy(handMade('<f4', '()', one))).toMatchObject({ shape: [], data: Float32Array.from([7]) });
    expect(parseNpy(handMade('<f4', '(0, 3)', new Uint8Array(0)))).toMatchObject({ shape: [0, 3], data: new Float32Array(0) });
  });

  it('bad magic → ERR_PARSE', () => {
    expect(fails(new TextEncoder().encode('a,b\n1,2\n')).message).toMatch(/Not a \.npy file.*got 8 bytes starting 61 2c 62/);
    expect(fails(new Uint8Array(0)).message).toContain('got 0 bytes');
  });

  it('truncated or oversized data → ERR_PARSE with expected vs got bytes', () => {
    const f = fixture('f8_2x3.npy');
    const e = fails(f.subarray(0, f.length - 5));
    expect(e.message).toContain('needs 48 bytes');
    expect(e.message).toContain('got 43');
    expect(e.details).toMatchObject({ expected: 48, got: 43 });
    const big = new Uint8Array(f.length + 1);
    big.set(f);
    expect(fails(big).message).toMatch(/Oversized.*needs 48 bytes.*got 49/);
  });

  it('truncated header → ERR_PARSE with expected vs got bytes', () => {
    expect(fails(fixture('f8_2x3.npy').subarray(0, 60)).message).toContain('header needs 128 bytes, got 60');
  });

  it('unsupported dtype, version or header → ERR_PARSE', () => {
    expect(fails(handMade('<c8', '(1,)', new Uint8Array(8))).message).toContain("Unsupported .npy dtype '<c8'");
    expect(fails(handMade('|O', '(1,)', new Uint8Array(8))).message).toContain("'|O'");
    const v9 = fixture('f4_2x3.npy').slice();
    v9[6] = 9;
    expect(fails(v9).message).toContain('version 9.0');
    expect(fails(handMade('<f4', '(a, 3)', new Uint8Array(0))).message).toContain('Malformed');
  });
});

describe('parseNpy: float64 conversion', () => {
  it('rounds to nearest float32 like astype(np.float32)', () => {
    const payload = new Uint8Array(24);
    const v = new DataView(payload.buffer);
    const xs = [Math.PI, 1 / 3, 1e-40];
    xs.forEach((x, i) => v.setFloat64(i * 8, x, true));
    expect(Array.from(parseNpy(handMade('<f8', '(3,)', payload)).data)).toEqual(xs.map(Math.fround));
  });
});
