// Every ```ts block marked `<!-- run -->` (or ```ts run) in README.md, docs/**, packages/*/README.md
// and examples/*/README.md is bundled with esbuild and run with plain Node: docs that stop working
// fail CI. See scripts/docs-snippets.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFileBlocks, collectSnippets, runSnippet } from './docs-snippets.mjs';
import { root } from './packages.mjs';

const snippets: { id: string; code: string }[] = collectSnippets();

// Each snippet runs in its own node process: run them a few at a time.
describe.concurrent('docs snippets', () => {
  it('the getting-started pages and the README have runnable snippets', () => {
    for (const page of ['README.md', 'docs/getting-started/node.md', 'docs/plugins/authoring.md']) {
      expect(snippets.some((s) => s.id.startsWith(`${page}:`)), `${page} has no <!-- run --> snippet`).toBe(true);
    }
  });
  for (const b of collectFileBlocks() as { id: string; path: string; code: string }[]) {
    it(`${b.id} shows ${b.path} verbatim`, () => {
      const file = join(root, b.path);
      expect(existsSync(file), `${b.path} does not exist`).toBe(true);
      expect(b.code.trim()).toBe(readFileSync(file, 'utf8').trim());
    });
  }
  for (const s of snippets) {
    it(`${s.id} runs`, async () => {
      const r = await runSnippet(s);
      expect(r.ok, `${s.id} failed:\n${r.output}\n--- snippet ---\n${s.code}`).toBe(true);
    }, 180_000);
  }
});
