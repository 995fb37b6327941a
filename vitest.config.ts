import { defineConfig } from 'vitest/config';

// Tests run against sources through the `@somkit/source` export condition: no build needed.
export default defineConfig({
  resolve: { conditions: ['@somkit/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@somkit/source', 'node', 'import', 'default'], externalConditions: ['@somkit/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'apps/*/**/*.test.ts', 'scripts/**/*.test.ts'],
    // `// @module-tag slow` marks whole files (packaging gates); skip them with --tags-filter='!slow'.
    tags: [{ name: 'slow', description: 'builds, packs, installs or bundles: minutes, not seconds' }],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    server: { deps: { inline: [/@somkit\//] } },
  },
});
