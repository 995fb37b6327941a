import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineConfig, defaultClientConditions, type Plugin } from 'vite';

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
        res.end(readFileSync(join(dir, m[1] as string)));
      });
    },
    generateBundle() {
      for (const f of files) this.emitFile({ type: 'asset', fileName: `tfjs-wasm/${f}`, source: readFileSync(join(dir, f)) });
    },
  };
}

// Workspace packages resolve to their TypeScript sources (the `@somkit/source` export condition),
// so the playground needs no prior package build.
export default defineConfig({
  root: dirname(new URL(import.meta.url).pathname),
  base: './',
  resolve: { conditions: ['@somkit/source', ...defaultClientConditions] },
  plugins: [tfjsWasm()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 5000 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
