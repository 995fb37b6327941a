/**
 * `@somkit/runtime` for Node (the `node` export condition).
 *
 * `auto` order: tensorflow (tfjs-node-gpu → tfjs-node, when the user installed one) → webgpu
 * (when `navigator.gpu` exists, or when asked: `{ webgpu: true }` / `SOMKIT_WEBGPU=1` set up the
 * npm `webgpu` package, Dawn) → wasm → cpu. An explicit `useBackend('webgpu')` always tries Dawn.
 */
import { env } from './env.js';
import { setupNodeWebGPU, webgpuRequestedByEnv } from './nodeWebgpu.js';
import { cpuProbe, wasmProbe } from './probes.js';
import type { BackendChoice, BackendName, BackendPreference, UseBackendOptions } from './types.js';
import { listBackendsWith, useBackendWith, type BackendHost } from './useBackendWith.js';

const host: BackendHost = Object.freeze({
  runtime: 'node',
  order: Object.freeze(['tensorflow', 'webgpu', 'wasm', 'cpu'] as const),
  probes: Object.freeze({
    // Both packages register the backend under the name 'tensorflow'.
    tensorflow: Object.freeze({
      packages: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
      install: 'npm i @tensorflow/tfjs-node (CPU) or npm i @tensorflow/tfjs-node-gpu (CUDA)',
    }),
    webgpu: Object.freeze({
      packages: ['@tensorflow/tfjs-backend-webgpu'],
      install: 'npm i @tensorflow/tfjs-backend-webgpu',
      // tfjs-backend-webgpu registers itself only when navigator.gpu exists at import time, so
      // Dawn is set up (and navigator.gpu installed) before the package is imported.
      precheck: (opts: UseBackendOptions, requested: BackendPreference) => {
        if (env.hasNavigatorGpu) return true;
        if (requested === 'webgpu' || opts.webgpu === true || (opts.webgpu === undefined && webgpuRequestedByEnv())) {
          return setupNodeWebGPU(opts.webgpuTimeoutMs === undefined ? {} : { timeoutMs: opts.webgpuTimeoutMs });
        }
        return "no WebGPU adapter in this Node process; install the npm 'webgpu' package (Dawn) and opt in with useBackend('auto', { webgpu: true }) or SOMKIT_WEBGPU=1, or call useBackend('webgpu') (@somkit/runtime README, 'WebGPU in Node')";
      },
    }),
    wasm: wasmProbe,
    cpu: cpuProbe,
  }),
  unsupported: Object.freeze({
    webgl: 'WebGL needs a browser canvas, which Node does not have',
  }),
});

/**
 * Chooses and initialises a tfjs backend, and says why the others were refused. Optional backend
 * packages are imported on demand: a missing one is a refusal reason, not a crash.
 *
 * ```ts
 * import { useBackend } from '@somkit/runtime';
 * const { backend, refused } = await useBackend(); // 'wasm' here; refused explains tensorflow and webgpu
 * await useBackend('cpu');                          // exactly cpu, or a SomError
 * ```
 *
 * @param pref - `'auto'` (default) for the first backend that works, or one backend name
 * @param opts - wasm options (`wasmPaths`, `threads`); WebGPU-in-Node options (`webgpu`, `webgpuTimeoutMs`)
 * @throws SomError `ERR_BACKEND_UNSUPPORTED` when the requested backend cannot be used (the message
 *   carries the reason and the choices); `ERR_INVALID_CONFIG` for an unknown name or bad options
 */
export function useBackend(pref: BackendPreference = 'auto', opts?: UseBackendOptions): Promise<BackendChoice> {
  return useBackendWith(host, pref, opts);
}

/**
 * The backends `useBackend('auto')` tries in this runtime, in order.
 *
 * ```ts
 * listBackends(); // ['tensorflow', 'webgpu', 'wasm', 'cpu'] in Node
 * ```
 */
export function listBackends(): readonly BackendName[] {
  return listBackendsWith(host);
}

export { env, type RuntimeEnv } from './env.js';
export {
  setupNodeWebGPU,
  nodeWebGPUAdapter,
  SWIFTSHADER_ICD,
  DEFAULT_WEBGPU_TIMEOUT_MS,
  type NodeWebGPUAdapter,
  type NodeWebGPUOptions,
} from './nodeWebgpu.js';
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
