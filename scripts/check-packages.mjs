#!/usr/bin/env node
// Packaging gate for every published package (and the example plugins, which are shaped like
// third-party packages):
//   1. builds them with turbo (`^build` brings their dependencies along);
//   2. packs each with `pnpm pack` into out/pack/ — exactly what npm would publish, with
//      `workspace:^` turned into real ranges;
//   3. runs `publint --strict` and `attw --profile esm-only` on each tarball;
//   4. checks our package.json conventions (exports order, sideEffects, peers, README headings …);
//   5. runs TypeDoc over the public entry points (scripts/docs-api.mjs --check).
// Prints one line per package and exits 1 when anything failed.
//
//   node scripts/check-packages.mjs [--no-build] [--no-typedoc] [--no-examples] [--json FILE] [--only DIR,DIR]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { APPLICATIONS, EXAMPLES, PUBLISHED, README_HEADINGS, readPackage, root, tarballName } from './packages.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const bin = (name) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0', NO_COLOR: '1' };

/** Runs a command, collecting its output. Never rejects. */
function run(cmd, cmdArgs, cwd = root) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ code: 1, out: `${out}\n${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** Maps over items with at most `limit` in flight. */
async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function sourceFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ts$/.test(name) && !/\.(test|test-d|fixture)\.ts$/.test(name) && !/\.test-util\.ts$/.test(name)) out.push(p);
    }
  };
  walk(join(root, dir, 'src'));
  return out;
}

/** Our conventions (design/conventions.md §d.1, §d.2, §d.15) that publint and attw do not know. */
export function policyIssues(dir, pkg, { example }) {
  const issues = [];
  const need = (cond, msg) => {
    if (!cond) issues.push(msg);
  };
  need(pkg.type === 'module', `"type" must be "module" (ESM only), got ${JSON.stringify(pkg.type)}`);
  need(typeof pkg.license === 'string', 'needs a "license"');
  need(typeof pkg.engines?.node === 'string', 'needs "engines.node"');
  need(Array.isArray(pkg.files) && pkg.files.includes('dist'), '"files" must list "dist"');
  need(pkg.exports?.['./package.json'] === './package.json', 'exports must include "./package.json"');
  if (!example) {
    need(pkg.repository?.type === 'git' && typeof pkg.repository?.url === 'string', 'needs "repository" {type: git, url}');
    need(pkg.repository?.directory === dir, `"repository.directory" must be "${dir}", got ${JSON.stringify(pkg.repository?.directory)}`);
  }
  // exports: the dev-loop source condition first (TypeScript takes the first matching key), then
  // "types" before every runtime condition, "default" last; nested condition objects (per-runtime
  // entries such as runtime's node/default) each carry their own "types".
  const checkConditions = (where, value, typesAbove) => {
    if (typeof value !== 'object' || value === null) return;
    const keys = Object.keys(value);
    const src = keys.indexOf('@somkit/source');
    if (src > 0) issues.push(`${where}: "@somkit/source" must come first`);
    const types = keys.indexOf('types');
    const runtime = keys.filter((k) => k !== 'types' && k !== '@somkit/source');
    if (types >= 0 && runtime.some((k) => keys.indexOf(k) < types)) issues.push(`${where}: "types" must come before ${runtime.map((k) => `"${k}"`).join(', ')}`);
    if (runtime.length > 0 && keys[keys.length - 1] !== 'default') issues.push(`${where}: "default" must be the last condition`);
    for (const k of runtime) {
      const v = value[k];
      if (typeof v === 'object' && v !== null) checkConditions(`${where}.${k}`, v, typesAbove || types >= 0);
      else if (!typesAbove && types < 0 && typeof v === 'string' && /\.js$/.test(v)) issues.push(`${where}: no "types" condition for "${k}" (${v})`);
    }
  };
  for (const [subpath, value] of Object.entries(pkg.exports ?? {})) if (subpath !== './package.json') checkConditions(`exports["${subpath}"]`, value, false);
  // sideEffects: false, or only the ./register entries (dist and src).
  const registerEntries = Object.keys(pkg.exports ?? {}).filter((k) => k === './register');
  if (pkg.sideEffects !== false) {
    if (!Array.isArray(pkg.sideEffects)) issues.push(`"sideEffects" must be false or a list of ./register files, got ${JSON.stringify(pkg.sideEffects)}`);
    else {
      for (const f of pkg.sideEffects) if (!/^\.\/(dist|src)\/register\.(js|ts)$/.test(f)) issues.push(`"sideEffects" lists ${f}; only ./dist/register.js and ./src/register.ts may have side effects`);
      if (registerEntries.length > 0) {
        for (const f of ['./dist/register.js', './src/register.ts']) need(pkg.sideEffects.includes(f), `"sideEffects" must list ${f} (the ./register entry)`);
      }
    }
  } else need(registerEntries.length === 0, 'has a ./register entry but "sideEffects": false would let bundlers drop it');
  // tfjs-core: a peer of every library that imports it; never a dependency (duplicate copies
  // flood "kernel already registered"). Applications depend on it.
  const importsTf = sourceFiles(dir).some((f) => /from '@tensorflow\/tfjs-core'/.test(readFileSync(f, 'utf8')));
  if (APPLICATIONS.includes(pkg.name)) {
    need(pkg.dependencies?.['@tensorflow/tfjs-core'] !== undefined, 'an application must depend on @tensorflow/tfjs-core');
  } else {
    need(pkg.dependencies?.['@tensorflow/tfjs-core'] === undefined, '@tensorflow/tfjs-core must be a peerDependency, not a dependency');
    if (importsTf) need(pkg.peerDependencies?.['@tensorflow/tfjs-core'] !== undefined, 'imports @tensorflow/tfjs-core but does not list it in peerDependencies');
  }
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (/^@tensorflow\/tfjs-(backend-|node)/.test(dep)) need(APPLICATIONS.includes(pkg.name), `${dep} must not be a dependency of a library (backends are the application's choice)`);
  }
  if (example) {
    need(pkg.peerDependencies?.['@somkit/plugin-api'] !== undefined, 'a plugin declares @somkit/plugin-api as a peerDependency');
    need(Object.keys(pkg.dependencies ?? {}).every((d) => !d.startsWith('@somkit/')), 'a plugin must not depend on @somkit/* (peers and devDependencies only)');
    need((pkg.keywords ?? []).includes('somkit-plugin'), 'keywords must include "somkit-plugin"');
  }
  // README with the fixed headings, in order.
  const readme = join(root, dir, 'README.md');
  if (!existsSync(readme)) issues.push('has no README.md');
  else {
    const headings = [...readFileSync(readme, 'utf8').matchAll(/^## (.+?)\s*$/gm)].map((m) => m[1]);
    let at = -1;
    for (const h of README_HEADINGS) {
      const i = headings.findIndex((x, j) => j > at && x.startsWith(h));
      if (i < 0) issues.push(`README.md lacks "## ${h}" (after the previous heading)`);
      else at = i;
    }
  }
  return issues;
}

function tail(text, lines = 25) {
  return text.trim().split('\n').slice(-lines).join('\n');
}

async function checkOne(dir, packDir, example) {
  const pkg = readPackage(dir);
  const result = { name: pkg.name, dir, example, ok: false, tarball: undefined, pack: { ok: false }, publint: { ok: false }, attw: { ok: false }, policy: { ok: false, issues: [] } };
  const issues = policyIssues(dir, pkg, { example });
  result.policy = { ok: issues.length === 0, issues };
  const packed = await run('pnpm', ['pack', '--pack-destination', packDir], join(root, dir));
  const tarball = join(packDir, tarballName(pkg));
  result.pack = { ok: packed.code === 0 && existsSync(tarball), output: packed.code === 0 ? '' : tail(packed.out) };
  if (!result.pack.ok) return result;
  result.tarball = relative(root, tarball);
  const [pl, at] = await Promise.all([
    run(bin('publint'), ['run', tarball, '--strict']),
    run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji']),
  ]);
  result.publint = { ok: pl.code === 0, output: tail(pl.out) };
  result.attw = { ok: at.code === 0, output: tail(at.out, 40) };
  result.ok = result.policy.ok && result.publint.ok && result.attw.ok;
  return result;
}

export async function checkPackages({ build = true, typedoc = true, examples = true, only } = {}) {
  const started = Date.now();
  let dirs = [...PUBLISHED, ...(examples ? EXAMPLES : [])];
  if (only) dirs = dirs.filter((d) => only.includes(d) || only.includes(readPackage(d).name));
  const report = { ok: true, seconds: 0, build: { ok: true, skipped: !build }, packages: [], typedoc: { ok: true, skipped: !typedoc } };
  if (build) {
    const filters = dirs.flatMap((d) => ['--filter', readPackage(d).name]);
    const b = await run('pnpm', ['-s', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only']);
    report.build = { ok: b.code === 0, output: tail(b.out, 40) };
    if (!report.build.ok) {
      report.ok = false;
      report.seconds = (Date.now() - started) / 1000;
      return report;
    }
  }
  const packDir = join(root, 'out', 'pack');
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  const [packages, td] = await Promise.all([
    pool(dirs, Math.max(2, Math.min(4, availableParallelism())), (d) => checkOne(d, packDir, EXAMPLES.includes(d))),
    typedoc ? run(process.execPath, [join(root, 'scripts', 'docs-api.mjs'), '--check']) : Promise.resolve(undefined),
  ]);
  report.packages = packages;
  if (td) report.typedoc = { ok: td.code === 0, warnings: (td.out.match(/\[warning\]/g) ?? []).length, output: tail(td.out, 40) };
  report.ok = report.build.ok && report.typedoc.ok && packages.every((p) => p.ok);
  report.seconds = (Date.now() - started) / 1000;
  writeFileSync(join(packDir, 'manifest.json'), JSON.stringify(Object.fromEntries(packages.filter((p) => p.tarball).map((p) => [p.name, p.tarball])), null, 2) + '\n');
  return report;
}

function print(report) {
  const mark = (r) => (r.ok ? 'ok' : 'FAIL');
  const w = Math.max(...report.packages.map((p) => p.name.length), 8);
  console.log(`${'package'.padEnd(w)}  pack  publint  attw  policy`);
  for (const p of report.packages) {
    console.log(`${p.name.padEnd(w)}  ${mark(p.pack).padEnd(4)}  ${mark(p.publint).padEnd(7)}  ${mark(p.attw).padEnd(4)}  ${mark(p.policy)}`);
  }
  if (!report.typedoc.skipped) console.log(`typedoc: ${mark(report.typedoc)} (${report.typedoc.warnings} warnings)`);
  for (const p of report.packages) {
    if (!p.pack.ok) console.log(`\n--- ${p.name}: pnpm pack failed\n${p.pack.output}`);
    if (p.pack.ok && !p.publint.ok) console.log(`\n--- ${p.name}: publint --strict\n${p.publint.output}`);
    if (p.pack.ok && !p.attw.ok) console.log(`\n--- ${p.name}: attw --profile esm-only\n${p.attw.output}`);
    if (!p.policy.ok) console.log(`\n--- ${p.name}: conventions\n${p.policy.issues.map((i) => `  - ${i}`).join('\n')}`);
  }
  if (!report.build.ok) console.log(`\n--- build failed\n${report.build.output}`);
  if (!report.typedoc.ok) console.log(`\n--- typedoc failed\n${report.typedoc.output}`);
  const failed = report.packages.filter((p) => !p.ok).length + (report.build.ok ? 0 : 1) + (report.typedoc.ok ? 0 : 1);
  console.log(`\n${report.ok ? 'all packaging checks passed' : `${failed} packaging check(s) failed`} in ${report.seconds.toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = option('--only')?.split(',');
  const report = await checkPackages({ build: !flag('--no-build'), typedoc: !flag('--no-typedoc'), examples: !flag('--no-examples'), only });
  const json = option('--json');
  if (json) {
    mkdirSync(dirname(resolve(root, json)), { recursive: true });
    writeFileSync(resolve(root, json), JSON.stringify(report, null, 2) + '\n');
  }
  print(report);
  process.exit(report.ok ? 0 : 1);
}
