import { SomError } from '@somkit/plugin-api';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Char code → 6-bit value; 255 marks characters outside the alphabet. */
const LOOKUP = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128).fill(255);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/**
 * Decodes standard (RFC 4648, `+/`, `=`-padded or unpadded) base64 into bytes. Pure: needs neither
 * `atob` nor `Buffer`, so it runs the same in browsers, Node and workers.
 *
 * ```ts
 * base64ToBytes('AAEC'); // Uint8Array [0, 1, 2]
 * ```
 * @throws SomError `ERR_PARSE` on a character outside the alphabet or an impossible length.
 */
export function base64ToBytes(b64: string): Uint8Array {
  let len = b64.length;
  while (len > 0 && b64.charCodeAt(len - 1) === 61 /* = */) len--;
  if (len % 4 === 1) {
    throw new SomError('ERR_PARSE', `Invalid base64: ${len} significant characters cannot encode whole bytes.`);
  }
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    const c = b64.charCodeAt(i);
    const v = c < 128 ? (LOOKUP[c] ?? 255) : 255;
    if (v === 255) {
      throw new SomError('ERR_PARSE', `Invalid base64: unexpected character ${JSON.stringify(b64[i])} at offset ${i}.`);
    }
    // Accumulate 6 bits per character; emit a byte whenever 8 are available.
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
