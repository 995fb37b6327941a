// What the bench scripts share: the repository root, the built packages, and the one tfjs instance
// core itself resolves (one backend registry), with the wasm backend registered. Needs `pnpm build`.
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;
/** The built entry of a package: `dist('core')` → packages/core/dist/index.js. */
export const dist = (p) => join(root, 'packages', p, 'dist', 'index.js');
export const tf = createRequire(join(root, 'packages', 'core', 'package.json'))('@tensorflow/tfjs-core');
createRequire(join(root, 'packages', 'cli', 'package.json'))('@tensorflow/tfjs-backend-wasm');

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Columns of `x` [n, d] standardised to mean 0 and population sd 1 (a constant column stays 0); a new Float32Array. */
export function zscore(x, n, d) {
  const out = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + j] - m) ** 2;
    const sd = Math.sqrt(v / n) || 1;
    for (let i = 0; i < n; i++) out[i * d + j] = (x[i * d + j] - m) / sd;
  }
  return out;
}
