import type { Rng } from '@somkit/geometry';

/**
 * `text` with 1 to `maxFlips` characters replaced by printable ASCII (byte-flip mutation).
 */
export function flipChars(text: string, rng: Rng, maxFlips: number): string {
  const chars = text.split('');
  for (let i = 0, k = 1 + rng.int(maxFlips); i < k; i++) chars[rng.int(chars.length)] = String.fromCharCode(32 + rng.int(95));
  return chars.join('');
}
