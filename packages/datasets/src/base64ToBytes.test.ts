import { isSomError } from '@somkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from './base64ToBytes.js';

describe('base64ToBytes', () => {
  it('matches Buffer for every length mod 3 and all byte values', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let len = 0; len <= 260; len++) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => all[(i * 37) % 256] ?? 0);
      const b64 = Buffer.from(bytes).toString('base64');
      expect(base64ToBytes(b64)).toEqual(bytes);
      expect(base64ToBytes(b64.replace(/=+$/, ''))).toEqual(bytes);
    }
  });

  it('rejects characters outside the alphabet and impossible lengths', () => {
    expect(() => base64ToBytes('AB-C')).toThrow(/unexpected character "-" at offset 2/);
    expect(() => base64ToBytes('A')).toThrow(/cannot encode whole bytes/);
    let err: unknown;
    try {
      base64ToBytes('AAA\u00e9');
    } catch (e) {
      err = e;
    }
    expect(isSomError(err, 'ERR_PARSE')).toBe(true);
  });
});
