// The workspace's package graph, read from package.json files and the import statements under
// each package's src/, checked against the layers in scripts/layers.json (the one place they are
// written down). Used by packageGraph.test.ts; plain Node, no build needed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

export interface Layers {
  layers: { id: string; name: string; packages: string[]; sublayers?: string[][] }[];
  /** Packages restricted to the workspace packages listed (beside the layer rule). */
  only?: Record<string, string[] | string>;
}

/** The workspace packages `name` may use, or undefined when only the layer rule applies. */
export function allowedOnly(layers: Layers, name: string): string[] | undefined {
  const v = layers.only?.[name];
  return Array.isArray(v) ? v : undefined;
}

export interface WorkspacePackage {
  name: string;
  /** Directory relative to the repository root, e.g. `packages/core`. */
  dir: string;
  deps: string[];
  devDeps: string[];
}

export interface ImportEdge {
  /** File relative to the repository root. */
  file: string;
  specifier: string;
  typeOnly: boolean;
}

export function readLayers(): Layers {
  return JSON.parse(readFileSync(join(root, 'scripts/layers.json'), 'utf8')) as Layers;
}

/** Rank of each package: layer index, plus a tenth per sublayer. Lower ranks are further down. */
export function ranks(layers: Layers): Map<string, { rank: number; layer: string }> {
  const out = new Map<string, { rank: number; layer: string }>();
  layers.layers.forEach((layer, i) => {
    for (const name of layer.packages) out.set(name, { rank: i, layer: layer.id });
    (layer.sublayers ?? []).forEach((sub, j) => {
      for (const name of sub) out.set(name, { rank: i + (j + 1) / 10, layer: `${layer.id}.${j + 1}` });
    });
  });
  return out;
}

export function workspacePackages(): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps', 'examples']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base).sort()) {
      const file = join(base, entry, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string> | string | undefined>;
      const names = (field: string): string[] => Object.keys((pkg[field] as Record<string, string> | undefined) ?? {});
      out.push({
        name: pkg.name as string,
        dir: `${group}/${entry}`,
        deps: [...new Set([...names('dependencies'), ...names('peerDependencies')])],
        devDeps: names('devDependencies'),
      });
    }
  }
  return out;
}

const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;
export const isTestFile = (file: string): boolean => /\.test(-util)?\.|\.fixture\.|\/__fixtures__\//.test(file);

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const entry of readdirSync(abs).sort()) {
      if (entry === 'node_modules' || entry === 'dist') continue;
      const path = join(abs, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (SOURCE.test(entry) && !entry.endsWith('.d.ts')) out.push(relative(root, path));
    }
  };
  const src = join(root, dir, 'src');
  if (existsSync(src)) walk(src);
  return out;
}

/** Comments out, strings kept: good enough for import statements. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function importsOf(file: string): ImportEdge[] {
  const text = stripComments(readFileSync(join(root, file), 'utf8'));
  const out: ImportEdge[] = [];
  const fromRe = /(?:^|[;\s}])(import|export)\s+(type\s+)?([^;'"`]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(fromRe)) {
    // `import { type A, type B } from` is type-only too.
    const clause = m[3] ?? '';
    const inner = /^\{([\s\S]*)\}$/.exec(clause.trim());
    const allTypes = inner !== null && inner[1]!.split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    out.push({ file, specifier: m[4]!, typeOnly: m[2] !== undefined || allTypes });
  }
  for (const m of text.matchAll(/(?:^|[;\s])import\s+['"]([^'"]+)['"]/g)) out.push({ file, specifier: m[1]!, typeOnly: false });
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ file, specifier: m[1]!, typeOnly: false });
  return out;
}

/** The workspace package an import names (`@somkit/core/register` → `@somkit/core`), or undefined. */
export function packageOf(specifier: string, names: Set<string>): string | undefined {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return names.has(name) ? name : undefined;
}

/** A relative import resolved to a source file of the repository, or undefined (assets, JSON). */
export function resolveRelative(from: string, specifier: string): string | undefined {
  const base = join(dirname(join(root, from)), specifier);
  const stem = base.replace(/\.(js|mjs|ts)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.mjs`, join(base, 'index.ts')]) {
    if (SOURCE.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return relative(root, candidate);
  }
  return undefined;
}

/** Every elementary loop found by a depth-first search (each reported once, as a path). */
export function findCycles(edges: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const s = state.get(next);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}
