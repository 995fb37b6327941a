// The packages this repository publishes, and the third-party-shaped examples, in one list that
// the packaging scripts and tests share.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/**
 * Published first-party packages (directory under the root): every non-private workspace package,
 * derived from pnpm-workspace.yaml (never a hand-kept list, so a new package is linted and packed
 * without touching this file).
 */
export const PUBLISHED = publishedPackages().map((p) => p.dir).sort();

/** Example third-party plugins (private, but shaped like published packages). */
export const EXAMPLES = ['examples/distance-hamming', 'examples/schedule-cosine', 'examples/search-sampled', 'examples/renderer-ascii'];

/** Applications: tfjs-core is a real dependency there, not a peer. */
export const APPLICATIONS = ['@somkit/cli'];

/** The README headings every package uses (unified's), in this order. */
export const README_HEADINGS = [
  'What is this?',
  'When should I use this?',
  'Install',
  'Use',
  'API',
  'Types',
  'Compatibility',
  'Related',
];

export function readPackage(dir) {
  return JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
}

/** The file name `pnpm pack` gives a package's tarball. */
export function tarballName(pkg) {
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
}

/** Workspace package directories (relative to the root), from pnpm-workspace.yaml's `dir/*` globs. */
export function workspaceDirs() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [];
  let inPackages = false;
  for (const line of yaml.split('\n')) {
    if (/^packages:\s*$/.test(line)) inPackages = true;
    else if (/^\S/.test(line)) inPackages = false;
    else if (inPackages) {
      const m = /^\s+-\s+['"]?([^'"#\s]+)['"]?/.exec(line);
      if (m) globs.push(m[1]);
    }
  }
  const dirs = [];
  for (const g of globs) {
    if (g.startsWith('!')) continue;
    if (g.endsWith('/*')) {
      const parent = g.slice(0, -2);
      if (!existsSync(join(root, parent))) continue;
      for (const d of readdirSync(join(root, parent), { withFileTypes: true })) {
        if (d.isDirectory() && existsSync(join(root, parent, d.name, 'package.json'))) dirs.push(`${parent}/${d.name}`);
      }
    } else if (existsSync(join(root, g, 'package.json'))) dirs.push(g);
  }
  return dirs.sort();
}

/** Every non-private workspace package: `{ dir, name, version, pkg }`, sorted by name. */
export function publishedPackages() {
  return workspaceDirs()
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.private !== true)
    .map(({ dir, pkg }) => ({ dir, name: pkg.name, version: pkg.version, pkg }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
