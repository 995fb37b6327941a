#!/usr/bin/env node
// `pnpm pack:all`: a tarball of every published (non-private) workspace package in out/packages/,
// for using somkit outside this repository before (or instead of) the npm registry. `pnpm pack`
// rewrites `workspace:^` ranges to versions, so the tarballs install with plain npm; a package's
// @somkit dependencies must be installed from their tarballs too (they are not on the registry
// yet), so out/packages/index.json and the printed lines give, for each package, the tarballs one
// `npm i` needs.
//
//   node scripts/pack-all.mjs [--no-build] [--dest DIR]   → builds, packs, prints the npm i lines
//
// The package list is read from pnpm-workspace.yaml and each package.json (`"private": true` is
// left out), never from a hard-coded list, so a new package is packed without touching this file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { publishedPackages, root, tarballName, workspaceDirs } from './packages.mjs';

// The workspace listing lives in packages.mjs (check-packages' PUBLISHED is derived from it too).
export { publishedPackages, workspaceDirs };

/**
 * The workspace packages one install of `name` needs from tarballs: itself and, transitively, its
 * workspace dependencies and required peers (npm installs peers too). Sorted by name.
 */
export function installSet(name, packages = publishedPackages()) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const need = new Set();
  const visit = (n) => {
    if (need.has(n) || !byName.has(n)) return;
    need.add(n);
    const { pkg } = byName.get(n);
    const optional = pkg.peerDependenciesMeta ?? {};
    for (const d of Object.keys(pkg.dependencies ?? {})) visit(d);
    for (const d of Object.keys(pkg.peerDependencies ?? {})) if (optional[d]?.optional !== true) visit(d);
  };
  visit(name);
  return [...need].sort();
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', npm_config_update_notifier: 'false' } });
  return { code: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
}

/**
 * Packs every published package into `dest` (emptied of old tarballs first) and writes
 * `dest/index.json`: `{ packages: [{ name, version, dir, tarball, install }] }`, where `install`
 * lists the tarball file names one `npm i` of that package needs.
 * @throws Error naming the package when a build or `pnpm pack` fails, or a package is not built
 */
export function packAll({ dest = join(root, 'out', 'packages'), build = true } = {}) {
  const packages = publishedPackages();
  if (build) {
    const r = run('pnpm', ['-s', 'turbo', 'run', 'build', '--output-logs=errors-only', ...packages.map((p) => `--filter=${p.name}`)], root);
    if (r.code !== 0) throw new Error(`pack:all: the build failed:\n${r.out.trim().split('\n').slice(-30).join('\n')}`);
  }
  mkdirSync(dest, { recursive: true });
  for (const f of readdirSync(dest)) if (f.endsWith('.tgz')) rmSync(join(dest, f));
  for (const p of packages) {
    const main = p.pkg.exports?.['.']?.default ?? p.pkg.main;
    if (typeof main === 'string' && !existsSync(join(root, p.dir, main))) {
      throw new Error(`pack:all: ${p.name} is not built (${join(p.dir, main)} is missing); run pnpm build, or pnpm pack:all without --no-build.`);
    }
    const r = run('pnpm', ['pack', '--pack-destination', dest], join(root, p.dir));
    if (r.code !== 0 || !existsSync(join(dest, tarballName(p.pkg)))) throw new Error(`pack:all: pnpm pack failed in ${p.dir}:\n${r.out.trim().split('\n').slice(-30).join('\n')}`);
  }
  const tarball = new Map(packages.map((p) => [p.name, tarballName(p.pkg)]));
  const index = {
    packages: packages.map((p) => ({ name: p.name, version: p.version, dir: p.dir, tarball: tarball.get(p.name), install: installSet(p.name, packages).map((n) => tarball.get(n)) })),
  };
  writeFileSync(join(dest, 'index.json'), JSON.stringify(index, null, 2) + '\n');
  return { dest, ...index };
}

/** The `npm i` line that installs `name` (and what it needs) from the tarballs in `dest`. */
export function installCommand(index, name, dest) {
  const entry = index.packages.find((p) => p.name === name);
  if (!entry) throw new Error(`pack:all: no published package ${name}`);
  return `npm i ${entry.install.map((t) => join(dest, t)).join(' ')}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--dest');
  const dest = at >= 0 ? resolve(args[at + 1]) : join(root, 'out', 'packages');
  try {
    const index = packAll({ dest, build: !args.includes('--no-build') });
    const shown = relative(process.cwd(), dest) || '.';
    console.log(`${index.packages.length} tarballs in ${shown}/ (index: ${shown}/index.json). To install one with the somkit packages it needs, plus tfjs from the registry:\n`);
    for (const p of index.packages) console.log(`  ${p.name}:\n    ${installCommand(index, p.name, dest)}`);
    console.log(`\n  and: npm i @tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu   (or -wasm / -webgpu)`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
