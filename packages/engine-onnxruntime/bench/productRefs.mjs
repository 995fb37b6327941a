// The references of the neighborhoodProduct kernel: a plain tfjs matMul of the same G [u, u]
// (materialised from the table) and m [u, c], on the tfjs cpu or wasm backend.
//   node bench/productRefs.mjs --grid 100 --c 33 --backend wasm
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

const { values } = parseArgs({ options: { grid: { type: 'string', default: '100' }, c: { type: 'string', default: '33' }, backend: { type: 'string', default: 'wasm' }, rounds: { type: 'string', default: '2' } } });
const [G, c, rounds] = [Number(values.grid), Number(values.c), Number(values.rounds)];
const u = G * G;
await tf.setBackend(values.backend);
await tf.ready();
const sigma = G / 4;
const g = new Float32Array(u * u);
for (let a = 0; a < u; a++)
  for (let b = 0; b < u; b++) {
    const dr = Math.floor(a / G) - Math.floor(b / G);
    const dc = (a % G) - (b % G);
    g[a * u + b] = Math.exp(-Math.fround(dr * dr + dc * dc) / (2 * sigma * sigma));
  }
let s = 3;
const m = Float32Array.from({ length: u * c }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2);
const Gt = tf.tensor2d(g, [u, u]);
const Mt = tf.tensor2d(m, [u, c]);
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  const y = tf.matMul(Gt, Mt);
  await y.data();
  const sec = (performance.now() - t0) / 1000;
  y.dispose();
  console.log(JSON.stringify({ engine: `tfjs-${values.backend} matMul`, mode: 'product', grid: G, units: u, columns: c, seconds: +sec.toFixed(4), gflops_eq: +((2 * u * u * c) / sec / 1e9).toFixed(2) }));
}
