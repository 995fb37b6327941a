import { defineConfig } from 'vitest/config';

// Tests run against sources through the `@somkit/source` export condition: no build needed.
export default defineConfig({
  resolve: { conditions: ['@somkit/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@somkit/source', 'node', 'import', 'default'], externalConditions: ['@somkit/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    server: { deps: { inline: [/@somkit\//] } },
  },
});
