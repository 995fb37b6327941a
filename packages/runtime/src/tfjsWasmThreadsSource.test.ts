/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
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
    expect(() => plugin.transform('export default 1;', ID)).toThrow(expect.objectContaining({ code: 'ERR_BACKEND_UNSUPPORTED', message: expect.stringMatching(/not supported: pin @tensorflow\/tfjs-backend-wasm/) }));
  });
});
