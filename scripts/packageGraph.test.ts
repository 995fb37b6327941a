// The package graph as designed (issue 20): imports point down the layers of scripts/layers.json,
// never upward or sideways, and nothing imports itself round a loop — between packages, or between
// files inside one package (type-only imports included: they are loops for a reader too).
import { describe, expect, it } from 'vitest';
import { allowedOnly, findCycles, importsOf, isTestFile, packageOf, ranks, readLayers, resolveRelative, sourceFiles, workspacePackages } from './packageGraph.js';

const layers = readLayers();
const rank = ranks(layers);
const packages = workspacePackages();
const names = new Set(packages.map((p) => p.name));

describe('package graph', () => {
  it('names every workspace package in exactly one layer, and only workspace packages', () => {
    const listed = [...layers.layers.flatMap((l) => [...l.packages, ...(l.sublayers ?? []).flat()])];
    expect(listed.length, 'a package listed twice in scripts/layers.json').toBe(new Set(listed).size);
    expect(packages.map((p) => p.name).filter((n) => !rank.has(n)), 'packages missing from scripts/layers.json').toEqual([]);
    expect(listed.filter((n) => !names.has(n)), 'scripts/layers.json names packages that do not exist').toEqual([]);
  });

  it('declares dependencies and peerDependencies only on lower layers', () => {
    const bad: string[] = [];
    for (const p of packages) {
      const own = rank.get(p.name)!;
      for (const dep of p.deps.filter((d) => names.has(d))) {
        const to = rank.get(dep)!;
        if (to.rank >= own.rank) bad.push(`${p.name} (${own.layer}) depends on ${dep} (${to.layer})`);
        const only = allowedOnly(layers, p.name);
        if (only !== undefined && !only.includes(dep)) bad.push(`${p.name} may depend only on ${only.join(', ')} (scripts/layers.json "only"), not ${dep}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('imports (static, dynamic, re-exports, types) from src/ only packages on lower layers that package.json declares', () => {
    const bad: string[] = [];
    for (const p of packages) {
      const own = rank.get(p.name)!;
      for (const file of sourceFiles(p.dir)) {
        const test = isTestFile(file);
        for (const edge of importsOf(file)) {
          const to = packageOf(edge.specifier, names);
          if (to === undefined || to === p.name) continue;
          const declared = p.deps.includes(to) || (test && p.devDeps.includes(to));
          if (!declared) bad.push(`${file}: '${edge.specifier}' is not in ${p.name}'s ${test ? 'dependencies or devDependencies' : 'dependencies or peerDependencies'}`);
          if (!test && rank.get(to)!.rank >= own.rank) bad.push(`${file}: ${p.name} (${own.layer}) imports ${to} (${rank.get(to)!.layer})`);
          const only = allowedOnly(layers, p.name);
          if (!test && only !== undefined && !only.includes(to)) bad.push(`${file}: ${p.name} may import only ${only.join(', ')}, not ${to}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('has no loop between packages, devDependencies included (turbo builds along them)', () => {
    const edges = new Map(packages.map((p) => [p.name, [...p.deps, ...p.devDeps].filter((d) => names.has(d) && d !== p.name)]));
    expect(findCycles(edges).map((c) => c.join(' → '))).toEqual([]);
  });

  it('has no import loop between the files of any package, type-only imports included', () => {
    const loops: string[] = [];
    for (const p of packages) {
      const edges = new Map<string, string[]>();
      for (const file of sourceFiles(p.dir)) {
        const targets = importsOf(file)
          .filter((e) => e.specifier.startsWith('.'))
          .map((e) => resolveRelative(file, e.specifier))
          .filter((f): f is string => f !== undefined);
        edges.set(file, [...new Set(targets)]);
      }
      for (const c of findCycles(edges)) loops.push(c.join(' → '));
    }
    expect(loops).toEqual([]);
  });

  it('finds the imports it checks (the parser is not silently blind)', () => {
    const core = packages.find((p) => p.name === '@somkit/core')!;
    const all = sourceFiles(core.dir).flatMap(importsOf);
    expect(all.some((e) => e.specifier === '@somkit/plugin-api' && e.typeOnly)).toBe(true);
    expect(all.some((e) => e.specifier.startsWith('./') && !e.typeOnly)).toBe(true);
    expect(findCycles(new Map([['a', ['b']], ['b', ['a']]]))).toEqual([['a', 'b', 'a']]);
  });
});

describe('docs/architecture.md', () => {
  it('shows every package in the row of its layer, as scripts/layers.json has them', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { root } = await import('./packageGraph.js');
    const text = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
    const rows = new Map<string, string[]>();
    for (const m of text.matchAll(/^\| (L\d(?:\.\d)?) \|[^|]*\|([^\n]*)\|$/gm)) rows.set(m[1]!, [...m[2]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!).filter((n) => !n.startsWith('@tensorflow/')).sort());
    const want = new Map<string, string[]>();
    for (const [name, { layer }] of rank) want.set(layer, [...(want.get(layer) ?? []), name].sort());
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(want));
  });
});
