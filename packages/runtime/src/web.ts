/**
 * `@somkit/runtime` for browsers, workers and bundlers (the `default` export condition). Imports
 * nothing Node-only.
 *
 * `auto` order: webgpu → webgl → wasm → cpu. In bundled apps, import the backend packages you
 * ship (`import '@tensorflow/tfjs-backend-webgl'`) so the bundler includes them; a backend that is
 * already registered is used even where a bare `import()` cannot resolve.
 */
import { env } from './env.js';
import { cpuProbe, wasmProbe, webglProbe } from './probes.js';
import type { BackendChoice, BackendName, BackendPreference, UseBackendOptions } from './types.js';
import { listBackendsWith, useBackendWith, type BackendHost } from './useBackendWith.js';

const host: BackendHost = Object.freeze({
  runtime: 'browser',
  order: Object.freeze(['webgpu', 'webgl', 'wasm', 'cpu'] as const),
  probes: Object.freeze({
    webgpu: Object.freeze({
      packages: ['@tensorflow/tfjs-backend-webgpu'],
      install: 'npm i @tensorflow/tfjs-backend-webgpu',
      precheck: () =>
        env.hasNavigatorGpu
          ? true
          : 'navigator.gpu is missing: this browser has no WebGPU or has it disabled (it also needs a secure context: https or localhost)',
    }),
    webgl: webglProbe,
    wasm: wasmProbe,
    cpu: cpuProbe,
  }),
  unsupported: Object.freeze({
    tensorflow: '@tensorflow/tfjs-node needs Node (native libtensorflow); browsers have webgpu, webgl and wasm',
  }),
});

/**
 * Chooses and initialises a tfjs backend, and says why the others were refused.
 *
 * ```ts
 * import '@tensorflow/tfjs-backend-webgl';
 * import { useBackend } from '@somkit/runtime';
 * const { backend } = await useBackend('auto', { wasmPaths: 'https://cdn.jsdelivr.net/npm/@tensorflow/tfjs-backend-wasm@4.22.0/dist/' });
 * ```
 *
 * @param pref - `'auto'` (default) for the first backend that works, or one backend name
 * @param opts - wasm options (`wasmPaths`, `threads`)
 * @throws SomError `ERR_BACKEND_UNSUPPORTED` when the requested backend cannot be used;
 *   `ERR_INVALID_CONFIG` for an unknown name or bad options
 */
export function useBackend(pref: BackendPreference = 'auto', opts?: UseBackendOptions): Promise<BackendChoice> {
  return useBackendWith(host, pref, opts);
}

/**
 * The backends `useBackend('auto')` tries in this runtime, in order.
 *
 * ```ts
 * listBackends(); // ['webgpu', 'webgl', 'wasm', 'cpu'] in browsers
 * ```
 */
export function listBackends(): readonly BackendName[] {
  return listBackendsWith(host);
}

export { env, type RuntimeEnv } from './env.js';
export { useBackendWith, listBackendsWith, type BackendHost, type BackendProbe, type BackendDeps } from './useBackendWith.js';
export {
  BACKEND_PREFERENCES,
  type BackendChoice,
  type BackendName,
  type BackendPreference,
  type BackendRefusal,
  type RuntimeName,
  type UseBackendOptions,
} from './types.js';
