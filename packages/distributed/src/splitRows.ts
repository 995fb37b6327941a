import { SomError } from '@somkit/plugin-api';

/**
 * Splits rows `[0, n)` into `count` contiguous ranges whose sizes differ by at most one, in order.
 * Never returns an empty range: with fewer rows than `count`, there are `n` ranges.
 *
 * ```ts
 * splitRows(10, 3); // [[0, 4], [4, 7], [7, 10]]
 * ```
 * @throws SomError ERR_INVALID_INPUT (n < 1 or count < 1, non-integers)
 */
export function splitRows(n: number, count: number): Array<[rowStart: number, rowEnd: number]> {
  if (!Number.isSafeInteger(n) || n < 1 || !Number.isSafeInteger(count) || count < 1) {
    throw new SomError('ERR_INVALID_INPUT', `splitRows: expected integers n ≥ 1 and count ≥ 1, got n=${String(n)}, count=${String(count)}.`);
  }
  const k = Math.min(count, n);
  const base = Math.floor(n / k);
  const extra = n % k;
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    out.push([start, end]);
    start = end;
  }
  return out;
}
