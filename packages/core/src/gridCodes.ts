/**
 * The [u, u] squared grid distances as codes into their distinct values, so the per-epoch kernel
 * table of the engine hooks is the kernel on a few hundred values spread by the codes. Internal.
 */

/** Distinct squared grid distances and, for each of the [u, u] pairs, the index of its value. */
export interface GridCodes {
  values: Float32Array;
  codes: Int32Array;
}

/**
 * `values[codes[i]]` for every i, copied as bit patterns: a float copy would convert the kernel's
 * subnormal tails, which costs a microcode assist per value on x86.
 */
export function expandCodes(values: Float32Array, codes: Int32Array): Float32Array {
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  const n = codes.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = bits[codes[i]!]!;
  return new Float32Array(out.buffer);
}

/**
 * A well-spread 32-bit hash of an int (murmur3's finaliser): float bit patterns of small integers
 * differ only in their high bits, so the table index must depend on all of them.
 */
function mix(v: number): number {
  let h = v ^ (v >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The distinct values of `x` (in order of first appearance), writing each element's index into
 * them to `codes`. Values are matched by bit pattern in an open-addressing table (a `Map` took
 * ~80 ms for the 10⁶ grid distances of a 32 × 32 map; this takes a few).
 */
export function distinctCodes(x: Float32Array, codes: Int32Array): Float32Array {
  const bits = new Int32Array(x.buffer, x.byteOffset, x.length);
  let size = 1024;
  let slots = new Int32Array(size).fill(-1);
  let found = new Int32Array(size / 2);
  let count = 0;
  const insert = (v: number, table: Int32Array, mask: number, code: number): void => {
    let h = mix(v);
    for (;; h++) {
      const at = h & mask;
      if (table[at] === -1) {
        table[at] = code;
        return;
      }
    }
  };
  for (let i = 0, n = x.length; i < n; i++) {
    const v = bits[i]!;
    const mask = size - 1;
    let h = mix(v);
    let code = -1;
    for (;; h++) {
      const c = slots[h & mask]!;
      if (c === -1) break;
      if (found[c] === v) {
        code = c;
        break;
      }
    }
    if (code === -1) {
      code = count++;
      if (count > found.length) {
        // Keep the table at most half full: double it and re-insert the values seen so far.
        const grown = new Int32Array(found.length * 2);
        grown.set(found);
        found = grown;
        size *= 2;
        slots = new Int32Array(size).fill(-1);
        for (let c = 0; c < code; c++) insert(found[c]!, slots, size - 1, c);
      }
      found[code] = v;
      insert(v, slots, size - 1, code);
    }
    codes[i] = code;
  }
  return new Float32Array(found.buffer.slice(0, count * 4));
}
