#!/usr/bin/env node
// Runs the code snippets of the docs, so they cannot rot. A ```ts block runs when the line before
// its fence is `<!-- run -->` (invisible on GitHub), or when its info string says `ts run`.
// Searched: README.md, docs/**/*.md, packages/*/README.md, examples/*/README.md.
//
// Each snippet is bundled with esbuild for Node (workspace packages resolve to their TypeScript
// sources through the `@somkit/source` condition, so no build is needed; @tensorflow/* stays
// external and loads from the root node_modules), then run with plain `node` in a temp folder.
//
//   node scripts/docs-snippets.mjs [FILTER]   → runs every snippet whose file:line contains FILTER
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { EXAMPLES, PUBLISHED, root } from './packages.mjs';

function markdownFiles() {
  const files = [join(root, 'README.md')];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'api' && name !== 'node_modules') walk(p);
      } else if (name.endsWith('.md')) files.push(p);
    }
  };
  walk(join(root, 'docs'));
  for (const parent of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, parent))) {
      const readme = join(root, parent, name, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  return files;
}

/** Every runnable snippet: `{ id: 'docs/x.md:12', file, line, code }`. */
export function collectSnippets() {
  const out = [];
  for (const file of markdownFiles()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const fence = /^(\s*)```(\S*)(.*)$/.exec(lines[i]);
      if (!fence) continue;
      const lang = fence[2];
      const info = fence[3].trim().split(/\s+/);
      const end = lines.findIndex((l, j) => j > i && /^\s*```\s*$/.test(l));
      if (end < 0) break;
      const marked = (lines[i - 1] ?? '').trim() === '<!-- run -->' || info.includes('run');
      if (marked && (lang === 'ts' || lang === 'js')) {
        const indent = fence[1].length;
        out.push({ id: `${relative(root, file)}:${i + 1}`, file, line: i + 1, code: lines.slice(i + 1, end).map((l) => l.slice(indent)).join('\n') });
      }
      i = end;
    }
  }
  return out;
}

/**
 * Blocks that show a repository file verbatim: the line before the fence is
 * `<!-- file: path/from/root -->`. `{ id, path, code }`; a test checks they match the file.
 */
export function collectFileBlocks() {
  const out = [];
  for (const file of markdownFiles()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 1; i < lines.length; i++) {
      const marker = /^<!-- file: (\S+) -->$/.exec(lines[i - 1].trim());
      if (!marker || !/^```/.test(lines[i])) continue;
      const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
      if (end < 0) break;
      out.push({ id: `${relative(root, file)}:${i + 1}`, path: marker[1], code: lines.slice(i + 1, end).join('\n') });
      i = end;
    }
  }
  return out;
}

/** Workspace packages by name → directory, for resolving their imports to sources. */
function workspacePackages() {
  const map = new Map();
  for (const parent of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, parent))) {
      const file = join(root, parent, name, 'package.json');
      if (existsSync(file)) map.set(JSON.parse(readFileSync(file, 'utf8')).name, join(root, parent, name));
    }
  }
  return map;
}

/** Folders whose node_modules may hold a snippet's third-party import (each package links only its own deps). */
const RESOLVE_DIRS = [root, ...[...PUBLISHED, ...EXAMPLES].map((d) => join(root, d))];

function run(cmd, args, cwd, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out: signal ? `${out}\n(killed: ${signal}, over ${timeoutMs} ms)` : out });
    });
  });
}

/** Bundles one snippet to out/snippets/<id>.mjs and runs it with node. */
export async function runSnippet(snippet, { timeoutMs = 120_000 } = {}) {
  const esbuild = await import('esbuild');
  const packages = workspacePackages();
  const outDir = join(root, 'out', 'snippets');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${snippet.id.replace(/[^a-zA-Z0-9]+/g, '_')}.mjs`);
  const plugin = {
    name: 'workspace',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'retry' || args.path.startsWith('node:')) return undefined;
        if (/^@tensorflow\//.test(args.path)) return { path: args.path, external: true };
        const parts = args.path.split('/');
        const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        if (packages.has(name)) {
          // A workspace package: its TypeScript source, through the exports map's `@somkit/source`.
          const dir = packages.get(name);
          const subpath = `.${args.path.slice(name.length)}`;
          const entry = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).exports?.[subpath]?.['@somkit/source'];
          const file = typeof entry === 'string' ? entry : entry?.node ?? entry?.default;
          if (file === undefined) return { errors: [{ text: `${args.path}: ${name} exports no '${subpath}' (with an @somkit/source condition)` }] };
          return { path: join(dir, file) };
        }
        for (const resolveDir of [args.resolveDir, ...RESOLVE_DIRS]) {
          const r = await build.resolve(args.path, { kind: args.kind, resolveDir, importer: args.importer, pluginData: 'retry' });
          if (r.errors.length === 0) return r;
        }
        return undefined;
      });
    },
  };
  try {
    await esbuild.build({
      stdin: { contents: snippet.code, loader: 'ts', resolveDir: dirname(snippet.file), sourcefile: snippet.id },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@somkit/source'],
      outfile,
      logLevel: 'silent',
      plugins: [plugin],
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
  } catch (e) {
    return { ok: false, output: `esbuild could not bundle ${snippet.id}:\n${e.message}` };
  }
  // A scratch folder as cwd: snippets may write files (model.json, …).
  const cwd = mkdtempSync(join(tmpdir(), 'somkit-snippet-'));
  try {
    const r = await run(process.execPath, [outfile], cwd, timeoutMs);
    return { ok: r.code === 0, output: r.out.trim() };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const filter = process.argv[2];
  let failed = 0;
  for (const s of collectSnippets().filter((x) => !filter || x.id.includes(filter))) {
    const t = Date.now();
    const r = await runSnippet(s);
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${s.id} (${Date.now() - t} ms)`);
    if (!r.ok) {
      failed++;
      console.log(r.output.split('\n').map((l) => `     ${l}`).join('\n'));
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}
