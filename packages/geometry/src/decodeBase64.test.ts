import { describe, expect, it } from 'vitest';
import { decodeBase64, base64ToFloat32, base64ToInt32 } from './decodeBase64.js';
import { encodeBase64, float32ToBase64, int32ToBase64 } from './encodeBase64.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('base64', () => {
  it('round-trips bytes of every length mod 3, as RFC 4648 spells them', () => {
    expect(encodeBase64(ascii('foobar'))).toBe('Zm9vYmFy');
    expect(encodeBase64(ascii('fooba'))).toBe('Zm9vYmE=');
    expect(encodeBase64(ascii('foob'))).toBe('Zm9vYg==');
    for (let n = 0; n < 7; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 255);
      expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
    }
  });

  it('round-trips float32 and int32 arrays; malformed text is undefined', () => {
    const f = Float32Array.from([0, -1.5, Math.PI, Number.MAX_VALUE, Number.NaN]);
    expect(base64ToFloat32(float32ToBase64(f))).toEqual(f);
    const i = Int32Array.from([0, -1, 2 ** 31 - 1, -(2 ** 31)]);
    expect(base64ToInt32(int32ToBase64(i))).toEqual(i);
    expect(decodeBase64('abc')).toBeUndefined();
    expect(decodeBase64('ab$=')).toBeUndefined();
    expect(base64ToFloat32('AAA=')).toBeUndefined();
    expect(base64ToInt32('AAA=')).toBeUndefined();
  });
});
