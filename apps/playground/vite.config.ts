import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineConfig, defaultClientConditions, type Plugin } from 'vite';
// Threaded tfjs-wasm in minified builds (workers run the factory's source text): somkit ships the fix.
import { tfjsWasmThreadsSource } from '@somkit/runtime/vite';

/** tfjs-backend-wasm's .wasm binaries: served under /tfjs-wasm/ in dev, emitted to dist/tfjs-wasm/ in builds. */
function tfjsWasm(): Plugin {
  const dir = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const files = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
  return {
    name: 'somkit-tfjs-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /\/tfjs-wasm\/([\w.-]+\.wasm)(\?.*)?$/.exec(req.url ?? '');
        if (m === null || !files.includes(m[1] as string)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
        res.end(readFileSync(join(dir, m[1] as string)));
      });
    },
    generateBundle() {
      for (const f of files) this.emitFile({ type: 'asset', fileName: `tfjs-wasm/${f}`, source: readFileSync(join(dir, f)) });
    },
  };
}

/**
 * Cross-origin isolation (COOP + COEP): with it the page gets SharedArrayBuffer and tfjs-wasm
 * loads its threaded binary (one thread per core). Every asset here is same-origin, so
 * `require-corp` blocks nothing; a static host must send the same two headers (README).
 */
export const ISOLATION_HEADERS = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});

// Workspace packages resolve to their TypeScript sources (the `@somkit/source` export condition),
// so the playground needs no prior package build.
export default defineConfig({
  root: dirname(new URL(import.meta.url).pathname),
  base: './',
  resolve: { conditions: ['@somkit/source', ...defaultClientConditions] },
  plugins: [tfjsWasm(), tfjsWasmThreadsSource()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 5000 },
  server: { host: '127.0.0.1', headers: { ...ISOLATION_HEADERS } },
  preview: { host: '127.0.0.1', headers: { ...ISOLATION_HEADERS } },
});
