// Changesets (conventions §d.14): `changeset status` passes for this repository, and the `fixed`
// group in .changeset/config.json releases every first-party package on one version. The release
// plan is checked in a throw-away git copy (package.json files, pnpm-workspace.yaml, .changeset/),
// on a `main` branch as the config's baseBranch wants, so nothing here touches the real tree.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './packages.mjs';

const changeset = join(root, 'node_modules', '.bin', 'changeset');
const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
const fixed: string[][] = config.fixed;
const inFixedGroup = (name: string): boolean =>
  fixed.flat().some((p) => (p.endsWith('/*') ? name.startsWith(p.slice(0, -1)) : name === p));

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=changesets-test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });

function runChangeset(cwd: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync(changeset, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

/** Files changesets reads: every package.json of the workspace, the workspace file, .changeset/. */
function releaseFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\n');
  return listed.filter((f) => f !== '' && existsSync(join(root, f)) && (/(^|\/)package\.json$/.test(f) || f === 'pnpm-workspace.yaml' || f.startsWith('.changeset/')) && !f.includes('node_modules/'));
}

const copies: string[] = [];
afterAll(() => {
  for (const c of copies) rmSync(c, { recursive: true, force: true });
});

/** A git repository on `main` holding the release files, committed. */
function copyRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'somkit-changesets-'));
  copies.push(dir);
  for (const f of releaseFiles()) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(root, f), join(dir, f));
  }
  // The changelog generator named in config.json resolves from here.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

interface Release {
  name: string;
  type: string;
  oldVersion: string;
  newVersion: string;
}

function workspacePackages(dir: string): { name: string; version: string; private?: boolean; dir: string }[] {
  const out = [];
  for (const parent of ['packages', 'examples', 'apps']) {
    if (!existsSync(join(dir, parent))) continue;
    for (const name of readdirSync(join(dir, parent))) {
      const file = join(dir, parent, name, 'package.json');
      if (existsSync(file)) out.push({ ...JSON.parse(readFileSync(file, 'utf8')), dir: `${parent}/${name}` });
    }
  }
  return out;
}

/** How `changeset status` is asked to compare in this checkout: main, else origin/main, else not at all. */
function baseRef(): string | undefined {
  for (const ref of ['main', 'origin/main']) {
    if (spawnSync('git', ['rev-parse', '--verify', '--quiet', ref], { cwd: root }).status === 0) return ref;
  }
  return undefined;
}
const base = baseRef();

describe('changesets', () => {
  it('the config releases first-party packages together (fixed group) from baseBranch main', () => {
    expect(config.baseBranch).toBe('main');
    expect(fixed.flat()).toEqual(expect.arrayContaining(['@somkit/*', 'somkit']));
    // Every package we publish is in the fixed group: nothing public escapes the shared version.
    const escaped = workspacePackages(root).filter((p) => !p.private && !inFixedGroup(p.name)).map((p) => p.name);
    expect(escaped).toEqual([]);
  });

  it.skipIf(base === undefined)(`\`changeset status\` passes in this checkout (against ${base ?? 'main: no main or origin/main ref here'})`, () => {
    const r = runChangeset(root, 'status', ...(base === 'origin/main' ? ['--since=origin/main'] : []));
    expect(r.code, r.out).toBe(0);
  });

  it('status: the release plan gives every package of the fixed group the same new version', () => {
    const dir = copyRepo();
    const r = runChangeset(dir, 'status', '--output=plan.json');
    expect(r.code, r.out).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { releases: Release[]; changesets: unknown[] };
    expect(plan.changesets.length).toBeGreaterThan(0);
    const firstParty = plan.releases.filter((x) => inFixedGroup(x.name));
    const versions = new Set(firstParty.map((x) => x.newVersion));
    expect([...versions], firstParty.map((x) => `${x.name} ${x.oldVersion} → ${x.newVersion}`).join('\n')).toHaveLength(1);
    const publicPackages = workspacePackages(dir).filter((p) => !p.private).map((p) => p.name).sort();
    expect(firstParty.map((x) => x.name).sort()).toEqual(publicPackages);
  });

  it('status fails for a branch that changes a package without a changeset, and passes once it adds one', () => {
    const dir = copyRepo();
    git(dir, 'checkout', '-q', '-b', 'feature');
    for (const f of readdirSync(join(dir, '.changeset'))) if (f.endsWith('.md') && f !== 'README.md') unlinkSync(join(dir, '.changeset', f));
    const pkgFile = join(dir, 'packages', 'kernels', 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    writeFileSync(pkgFile, JSON.stringify({ ...pkg, description: `${pkg.description} (changed)` }, null, 2));
    git(dir, 'commit', '-qam', 'change kernels, no changeset');
    const without = runChangeset(dir, 'status');
    expect(without.code).not.toBe(0);
    expect(without.out).toMatch(/no changesets were found/);
    writeFileSync(join(dir, '.changeset', 'kernels-note.md'), '---\n"@somkit/kernels": patch\n---\n\nTest change.\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'add a changeset');
    const withOne = runChangeset(dir, 'status', '--output=plan.json');
    expect(withOne.code, withOne.out).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { releases: Release[] };
    // A patch to one package bumps the whole fixed group.
    const firstParty = plan.releases.filter((x) => inFixedGroup(x.name));
    expect(new Set(firstParty.map((x) => x.newVersion)).size).toBe(1);
    expect(firstParty.map((x) => x.name)).toEqual(expect.arrayContaining(['@somkit/core', '@somkit/plugin-api', 'somkit']));
  });

  it('`changeset version` (dry run in the copy) leaves every first-party package on one version', () => {
    const dir = copyRepo();
    const before = new Map(workspacePackages(dir).map((p) => [p.name, p.version]));
    const r = runChangeset(dir, 'version');
    expect(r.code, r.out).toBe(0);
    const after = workspacePackages(dir);
    const firstParty = after.filter((p) => !p.private && inFixedGroup(p.name));
    const versions = new Set(firstParty.map((p) => p.version));
    expect([...versions], firstParty.map((p) => `${p.name} ${before.get(p.name)} → ${p.version}`).join('\n')).toHaveLength(1);
    expect(firstParty.every((p) => p.version !== before.get(p.name))).toBe(true);
    // Internal ranges stay on the workspace protocol; pnpm pack turns them into real ranges.
    const core = JSON.parse(readFileSync(join(dir, 'packages', 'core', 'package.json'), 'utf8'));
    expect(core.dependencies['@somkit/plugin-api']).toBe('workspace:^');
    // Private packages (examples, apps) are never published; their versions do not matter.
    expect(existsSync(join(dir, 'packages', 'core', 'CHANGELOG.md'))).toBe(true);
  });
});
