#!/usr/bin/env node
// Browser bundle size, size-limit style: Vite 8 (Rolldown) builds tiny entries that import from
// the built workspace packages (dist, as a user's bundler sees them), gzips the result and
// compares it with scripts/size-budget.json. Run `pnpm build` first.
//
//   node scripts/bundle-size.mjs          → prints the table, exit 1 over budget
//
// Each scenario is built twice: with @tensorflow/* bundled (what a page downloads) and with it
// external (somkit's own share, which is what a new plugin must not grow).
import { gzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './packages.mjs';

const app = join(root, 'examples', 'vite-browser');

export function readBudget() {
  return JSON.parse(readFileSync(join(root, 'scripts', 'size-budget.json'), 'utf8'));
}

/**
 * Builds one entry; returns the code a page loads with it (the entry chunk and every chunk it
 * imports statically), its gzip size, and the gzip size of the chunks loaded only on first use
 * (dynamic `import()`, e.g. the map builders behind the deprecated `som.buildMap`).
 */
export async function buildEntry(entry, { external = false, outDir }) {
  const { build } = await import('vite');
  const result = await build({
    root: app,
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      target: 'es2022',
      lib: { entry: join(root, entry), formats: ['es'], fileName: 'bundle' },
      rollupOptions: { external: external ? [/^@tensorflow\//] : [] },
    },
  });
  const chunks = new Map((Array.isArray(result) ? result : [result]).flatMap((r) => r.output).filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  const eager = new Set();
  const visit = (name) => {
    if (eager.has(name) || !chunks.has(name)) return;
    eager.add(name);
    for (const i of chunks.get(name).imports) visit(i);
  };
  for (const c of chunks.values()) if (c.isEntry) visit(c.fileName);
  const read = (names) => names.map((f) => readFileSync(join(outDir, f), 'utf8')).join('\n');
  const code = read([...eager]);
  const lazy = read([...chunks.keys()].filter((f) => !eager.has(f)));
  return { code, bytes: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length, lazyGzip: lazy === '' ? 0 : gzipSync(lazy, { level: 9 }).length };
}

/** Plugin names that the minimal scenario does not use: none may be in its bundle. */
export const UNUSED_PLUGIN_NAMES = [
  'sqeuclidean',
  'cosine',
  'manhattan',
  'chebyshev',
  'minkowski',
  'mexican_hat',
  'lr_inverse_decay_to_zero',
  'lr_linear_decay_to_zero',
  'sig_inverse_decay_to_one',
  'sig_linear_decay_to_one',
];

/** True when `name` is in the code as a string literal (a plugin's registry name). */
export function hasName(code, name) {
  return new RegExp(`["'\`]${name}["'\`]`).test(code);
}

export async function measure() {
  const budget = readBudget();
  const out = join(root, 'out', 'bundle');
  mkdirSync(out, { recursive: true });
  const results = {};
  for (const [scenario, spec] of Object.entries(budget.scenarios)) {
    const full = await buildEntry(spec.entry, { outDir: join(out, scenario) });
    const own = await buildEntry(spec.entry, { external: true, outDir: join(out, `${scenario}-somkit-only`) });
    results[scenario] = { entry: spec.entry, full, own };
  }
  const sizes = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, { gzip: r.full.gzip, bytes: r.full.bytes, somkitOnlyGzip: r.own.gzip, somkitOnlyBytes: r.own.bytes, loadedOnFirstUseGzip: r.own.lazyGzip }]));
  writeFileSync(join(out, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
  return { budget, results, sizes };
}

const kB = (n) => `${(n / 1000).toFixed(2)} kB`;

/** Lines like size-limit's, and whether every scenario is within budget. */
export function verdict({ budget, results }) {
  const lines = [];
  let ok = true;
  for (const [scenario, spec] of Object.entries(budget.scenarios)) {
    const r = results[scenario];
    const within = r.full.gzip <= spec.limit.gzip && r.own.gzip <= spec.limit.somkitOnlyGzip;
    ok &&= within;
    lines.push(
      `${scenario.padEnd(16)} ${kB(r.full.gzip)} gzip (limit ${kB(spec.limit.gzip)})   somkit only: ${kB(r.own.gzip)} gzip (limit ${kB(spec.limit.somkitOnlyGzip)})${r.own.lazyGzip ? `   (+${kB(r.own.lazyGzip)} loaded on first use)` : ''}${within ? '' : '   OVER BUDGET'}`,
    );
  }
  return { ok, lines };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = await measure();
  const v = verdict(m);
  console.log(v.lines.join('\n'));
  process.exit(v.ok ? 0 : 1);
}
