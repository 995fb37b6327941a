#!/usr/bin/env node
// API reference with TypeDoc, from the TSDoc in the sources of the published packages.
//
//   node scripts/docs-api.mjs           → HTML in docs/api/ (git-ignored; `pnpm docs:api`)
//   node scripts/docs-api.mjs --check   → converts and validates only (no output); exit 1 on errors
//
// One TypeScript program for all packages (fast): each public entry point gets a one-line
// wrapper in out/typedoc/ named after its import specifier, so the reference is organised by
// `@somkit/core`, `@somkit/datasets/node`, … rather than by source folder. The umbrella `somkit`
// only re-exports, so it is left out.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PUBLISHED, readPackage, root } from './packages.mjs';

const check = process.argv.includes('--check');
const work = join(root, 'out', 'typedoc');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

/** The source file behind an exports entry (the `@somkit/source` condition; node flavour when split). */
function sourceOf(entry) {
  const src = entry?.['@somkit/source'];
  if (typeof src === 'string') return src;
  if (src && typeof src === 'object') return src.node ?? src.default;
  return undefined;
}

const entries = [];
for (const dir of PUBLISHED) {
  const pkg = readPackage(dir);
  if (pkg.name === 'somkit') continue;
  for (const [subpath, value] of Object.entries(pkg.exports ?? {})) {
    if (subpath === './package.json' || subpath.endsWith('/register')) continue;
    const src = sourceOf(value);
    if (src === undefined) continue;
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    const file = join(work, `${specifier.replace(/^@/, '').replace(/\//g, '__')}.ts`);
    const target = relative(work, join(root, dir, src)).replace(/\.ts$/, '.js');
    const summary = subpath === '.' ? pkg.description : `The \`${subpath}\` entry of ${pkg.name}.`;
    writeFileSync(file, `/**\n * ${summary}\n *\n * @packageDocumentation\n * @module ${specifier}\n */\nexport * from '${target.startsWith('.') ? target : `./${target}`}';\n`);
    entries.push(file);
  }
}

writeFileSync(
  join(work, 'tsconfig.json'),
  JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true, types: ['node'], rootDir: '../..' }, files: entries.map((f) => relative(work, f)) }, null, 2),
);

const options = {
  $schema: 'https://typedoc.org/schema.json',
  name: 'somkit',
  entryPoints: entries,
  tsconfig: join(work, 'tsconfig.json'),
  out: join(root, 'docs', 'api'),
  readme: 'none',
  disableSources: true,
  excludePrivate: true,
  excludeInternal: true,
  sort: ['kind', 'alphabetical'],
};
writeFileSync(join(work, 'typedoc.json'), JSON.stringify(options, null, 2));

const r = spawnSync(join(root, 'node_modules', '.bin', 'typedoc'), ['--options', join(work, 'typedoc.json'), ...(check ? ['--emit', 'none'] : [])], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FORCE_COLOR: '0' },
});
process.exit(r.status ?? 1);
