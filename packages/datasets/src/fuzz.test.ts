// Bounded fuzz of the CSV reader (issue 17, acceptance): ~5,000 seeded mutations of a real CSV —
// byte flips, deleted/duplicated characters, lines and columns, quotes, huge and non-finite
// numbers, long cells, truncation — through parseCsv, and every 25th through readDataFile. Every
// outcome must be a success with a consistent [n, d] table or a coded SomError, within a time
// limit per case; error messages stay short (quoted cells are capped).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSomError } from '@somkit/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataFile } from './node.js';
import { parseCsv } from './parseCsv.js';

const CASES = 5000;
const CASE_MS = 1000;

/** mulberry32: a small seeded generator (the fuzz must be the same on every run). */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const BASE = ['sepal_length,sepal_width,petal_length,species', ...Array.from({ length: 12 }, (_, i) => `${(4.3 + i * 0.3).toFixed(1)},${(3 - (i % 4) * 0.2).toFixed(1)},${(1.4 + i * 0.4).toFixed(2)},${['setosa', 'versicolor', 'virginica'][i % 3]}`)].join('\n') + '\n';
const PIECES = [',', '\n', '\r\n', '"', '""', ' ', '\t', ';', '-', '+', '.', 'e', 'e999', '1e39', '-1e39', 'NaN', 'Infinity', '-0', '0x1F', '1_000', '١', '\u0000', '\ufeff', 'é', '0'.repeat(400), 'x'.repeat(200_000)];

function mutate(r: (n: number) => number): string {
  let s = BASE;
  for (let k = 0, m = 1 + r(3); k < m; k++) {
    const op = r(7);
    const at = r(s.length + 1);
    if (op === 0) s = s.slice(0, at) + String.fromCharCode(r(128)) + s.slice(at + 1); // byte flip
    else if (op === 1) s = s.slice(0, at) + s.slice(at + 1 + r(8)); // deletion
    else if (op === 2) s = s.slice(0, at) + s.slice(at, at + 1 + r(20)) + s.slice(at); // duplication
    else if (op === 3) s = s.slice(0, at) + PIECES[r(PIECES.length)]! + s.slice(at); // insertion
    else if (op === 4) s = s.slice(0, at); // truncation
    else if (op === 5) {
      // Duplicate or drop a whole line.
      const lines = s.split('\n');
      const i = r(lines.length);
      if (r(2) === 0) lines.splice(i, 0, lines[i]!);
      else lines.splice(i, 1);
      s = lines.join('\n');
    } else {
      // Drop or duplicate a column in every line.
      const j = r(4);
      const dup = r(2) === 0;
      s = s.split('\n').map((l) => {
        const f = l.split(',');
        if (j < f.length) f.splice(j, dup ? 0 : 1, ...(dup ? [f[j]!] : []));
        return f.join(',');
      }).join('\n');
    }
  }
  return s;
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'somkit-csv-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CSV fuzz', () => {
  it(`${CASES} mutations parse to a consistent table or fail with a short coded SomError`, async () => {
    const r = rng(17);
    const failures: string[] = [];
    const outcomes = { ok: 0, coded: 0 };
    const optionsOf = [{}, { labelColumn: 'species' }, { labelColumn: 'species', header: true }, { header: false }, { delimiter: ';' }, { labelColumn: '3', header: false }] as const;
    for (let c = 0; c < CASES; c++) {
      const text = mutate(r);
      const opts = optionsOf[r(optionsOf.length)]!;
      const t0 = Date.now();
      try {
        const t = c % 25 === 0 ? await (async () => {
          const path = join(dir, `case${c}.csv`);
          await writeFile(path, text);
          return readDataFile(path, opts);
        })() : parseCsv(text, opts);
        if (t.data.length !== t.n * t.d || t.n < 1 || t.d < 1) failures.push(`case ${c}: inconsistent table n=${t.n} d=${t.d} length=${t.data.length}`);
        else if (t.data.some((v) => !Number.isFinite(v))) failures.push(`case ${c}: a non-finite value in the table`);
        else if (t.labels !== undefined && t.labels.length !== t.n) failures.push(`case ${c}: ${t.labels.length} labels for ${t.n} rows`);
        else outcomes.ok++;
      } catch (e) {
        if (!isSomError(e)) failures.push(`case ${c}: ${String(e).slice(0, 200)} — input ${JSON.stringify(text.slice(0, 200))}`);
        else if (e.message.length > 2000) failures.push(`case ${c}: a ${e.message.length}-character message (${e.message.slice(0, 100)}…)`);
        else outcomes.coded++;
      }
      const ms = Date.now() - t0;
      if (ms > CASE_MS) failures.push(`case ${c}: took ${ms} ms`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(500);
    expect(outcomes.coded).toBeGreaterThan(500);
  });
});
