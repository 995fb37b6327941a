/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isSomError } from '@somkit/plugin-api';
import { tfjsWasmThreadsSource } from './vite.js';

const ID = '/app/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';

describe('tfjsWasmThreadsSource (@somkit/runtime/vite)', () => {
  const plugin = tfjsWasmThreadsSource();

  it('leaves every other module alone', () => {
    expect(plugin.name).toBe('somkit-tfjs-wasm-threads-source');
    expect(plugin.transform('var x = 1;', '/app/src/main.ts')).toBeNull();
    expect(plugin.transform('var x = 1;', ID.replace('-threaded-simd', ''))).toBeNull();
  });

  it("gives the real factory a toString that is its own self-contained source (what a minifier can't rewrite)", () => {
    const path = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
    const code = readFileSync(path, 'utf8');
    const out = plugin.transform(code, `${path}?v=1`)!;
    expect(out.code.startsWith(code)).toBe(true);
    const patched = { exports: {} as Record<string, unknown> };
    const factory = new Function('module', 'exports', `${out.code}\nreturn WasmBackendModuleThreadedSimd;`)(patched, patched.exports) as () => unknown;
    const text = factory.toString();
    expect(text).toMatch(/^\(\(\) => \{/);
    expect(text).toContain('_scriptDir');
    // A worker evaluates the text alone: it must parse to a function without the bundle around it.
    expect(typeof new Function(`return ${text}`)()).toBe('function');
  });

  it('a changed file shape is a SomError at build time, not a broken app', () => {
    let caught: unknown;
    try {
      plugin.transform('export default 1;', ID);
    } catch (e) {
      caught = e;
    }
    expect(isSomError(caught, 'ERR_BACKEND_UNSUPPORTED')).toBe(true);
    expect((caught as Error).message).toMatch(/not supported: pin @tensorflow\/tfjs-backend-wasm 4\.22/);
  });

  it('imports nothing (a Vite config loader may not resolve workspace sources)', () => {
    const src = readFileSync(new URL('./tfjsWasmThreadsSource.ts', import.meta.url), 'utf8');
    expect(src).not.toMatch(/^import /m);
  });
});
