// The packages this repository publishes, and the third-party-shaped examples, in one list that
// the packaging scripts and tests share.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/** Published first-party packages (directory under the root). */
export const PUBLISHED = [
  'packages/plugin-api',
  'packages/geometry',
  'packages/kernels',
  'packages/search',
  'packages/core',
  'packages/runtime',
  'packages/datasets',
  'packages/testing',
  'packages/cli',
  'packages/somkit',
  'packages/viz',
  'packages/report',
  'packages/clustering',
  'packages/jitl',
  'packages/a3som',
  'packages/parallel',
  'packages/distributed',
  'packages/engine-onnxruntime',
  'packages/search-usearch',
];

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
