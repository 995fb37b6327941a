// pack:all's package list comes from the workspace, not from a hard-coded list (issue 18): every
// non-private package is packed, and each package's install line names the tarballs it needs.
import { describe, expect, it } from 'vitest';
import { EXAMPLES, PUBLISHED, readPackage } from './packages.mjs';
import { installSet, publishedPackages, workspaceDirs } from './pack-all.mjs';

describe('pack:all package discovery', () => {
  it('packs every non-private workspace package, including every package in PUBLISHED, and no private one', () => {
    const dirs = publishedPackages().map((p: { dir: string }) => p.dir);
    for (const dir of PUBLISHED) expect(dirs, dir).toContain(dir);
    for (const dir of workspaceDirs() as string[]) {
      expect(dirs.includes(dir), dir).toBe(readPackage(dir).private !== true);
    }
    for (const dir of EXAMPLES) expect(dirs).not.toContain(dir);
  });

  it('PUBLISHED (what check-packages lints) is derived from the workspace: every non-private package, so a new one is linted', () => {
    const dirs = publishedPackages().map((p: { dir: string }) => p.dir);
    expect([...PUBLISHED].sort()).toEqual([...dirs].sort());
    expect(PUBLISHED).toEqual(expect.arrayContaining(['packages/geometry', 'packages/report']));
  });

  it('lists the tarballs one npm i needs: the package and its workspace dependencies and required peers, transitively', () => {
    expect(installSet('@somkit/core')).toEqual(['@somkit/core', '@somkit/geometry', '@somkit/kernels', '@somkit/plugin-api', '@somkit/search']);
    expect(installSet('@somkit/plugin-api')).toEqual(['@somkit/plugin-api']);
    const fake = [
      { name: 'a', pkg: { dependencies: { b: '^1' }, peerDependencies: { c: '^1', d: '^1' }, peerDependenciesMeta: { d: { optional: true } } } },
      { name: 'b', pkg: { dependencies: { e: '^1', outside: '^1' } } },
      { name: 'c', pkg: {} },
      { name: 'd', pkg: {} },
      { name: 'e', pkg: { dependencies: { a: '^1' } } },
    ];
    expect(installSet('a', fake)).toEqual(['a', 'b', 'c', 'e']);
  });
});
