/** The shape of a Vite (or Rollup) plugin this needs: a name and a plain string transform. */
export interface SourceTransformPlugin {
  readonly name: string;
  /** `code` is a module's source, `id` its path (maybe with a `?query`); null leaves it alone. */
  transform(code: string, id: string): { code: string; map: null } | null;
}

const FILE = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
const HEAD = 'var WasmBackendModuleThreadedSimd = ';
const TAIL = '\nif (typeof exports';

/**
 * A SomError without importing `@somkit/plugin-api` (`isSomError` reads `name` and `code`, across
 * package copies): this file is loaded by the bundler's config loader, where a workspace import
 * may resolve to TypeScript sources Node cannot run (the playground's e2e build did).
 */
function somError(code: 'ERR_BACKEND_UNSUPPORTED', message: string): Error {
  return Object.assign(new Error(message), { name: 'SomError', code });
}

/**
 * A Vite plugin for threaded `@tensorflow/tfjs-backend-wasm` in minified builds. tfjs-wasm starts
 * its threads (Web Workers) from `factory.toString()`: each worker runs the source text of the
 * Emscripten factory on its own. Minified, that text refers to variables of the bundle and every
 * worker dies with `ReferenceError: e is not defined` (the threaded backend never initialises;
 * it needs a cross-origin isolated page, COOP + COEP). The plugin gives the factory a `toString`
 * that returns the package's own, self-contained source. A plain string transform: no Node APIs.
 *
 * ```ts
 * // vite.config.ts
 * import { tfjsWasmThreadsSource } from '@somkit/runtime/vite';
 * export default defineConfig({ plugins: [tfjsWasmThreadsSource()] });
 * ```
 * @throws SomError ERR_BACKEND_UNSUPPORTED (from the build) when tfjs-wasm's threaded file no
 *   longer has the shape this plugin patches
 */
export function tfjsWasmThreadsSource(): SourceTransformPlugin {
  return {
    name: 'somkit-tfjs-wasm-threads-source',
    transform(code, id) {
      if (!FILE.test(id.split('?')[0] as string)) return null;
      const start = code.indexOf(HEAD);
      const end = code.indexOf(TAIL, start);
      if (start < 0 || end < 0) {
        throw somError('ERR_BACKEND_UNSUPPORTED', `tfjsWasmThreadsSource: expected ${id} to start its factory with '${HEAD.trim()}' and follow it with '${TAIL.trim()}', found ${start < 0 ? 'no factory' : 'no end'}. This tfjs-backend-wasm version is not supported: pin @tensorflow/tfjs-backend-wasm 4.22 or report it.`);
      }
      const source = code.slice(start + HEAD.length, end).trim().replace(/;$/, '');
      return { code: `${code}\nWasmBackendModuleThreadedSimd.toString = function () { return ${JSON.stringify(source)}; };\n`, map: null };
    },
  };
}
