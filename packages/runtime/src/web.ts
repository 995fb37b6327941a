/**
 * `@somkit/runtime` for browsers, workers and bundlers (the `default` export condition). Imports
 * nothing Node-only.
 *
 * `auto` order: webgpu → webgl → wasm → cpu, but a software GPU is not "best": a WebGPU fallback
 * adapter or a SwiftShader/llvmpipe WebGL renderer is passed over (in headless Chromium without a
 * GPU a SOM ran 4–15× slower on them than on wasm) and used only when nothing else works; a GPU
 * the browser does not identify is timed against the next backend (a few tiny SOM steps) and the
 * faster one wins. The choice's `why` says which rule decided. In bundled apps, import the backend packages you
 * ship (`import '@tensorflow/tfjs-backend-webgl'`) so the bundler includes them; a backend that is
 * already registered is used even where a bare `import()` cannot resolve.
 */
import { env } from './env.js';
import { judgeWebGL, judgeWebGPU } from './judgeGpu.js';
import { cpuProbe, wasmProbe, webglProbe } from './probes.js';
import { timeSomStep } from './timeSomStep.js';
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
      judge: () => judgeWebGPU(),
    }),
    webgl: Object.freeze({ ...webglProbe, judge: judgeWebGL }),
    wasm: wasmProbe,
    cpu: cpuProbe,
  }),
  unsupported: Object.freeze({
    tensorflow: '@tensorflow/tfjs-node needs Node (native libtensorflow); browsers have webgpu, webgl and wasm',
  }),
  timeStep: () => timeSomStep(),
});

/**
 * Chooses and initialises a tfjs backend, and says why the others were refused.
 *
 * ```ts
 * import '@tensorflow/tfjs-backend-webgl';
 * import { useBackend } from '@somkit/runtime';
 * const { backend, why } = await useBackend('auto', { wasmPaths: 'https://cdn.jsdelivr.net/npm/@tensorflow/tfjs-backend-wasm@4.22.0/dist/' });
 * // headless Chromium: 'wasm', why: "wasm is the first backend … that works here; passed over the software GPUs webgpu (WebGPU fallback adapter …), webgl (…SwiftShader…)"
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
export { judgeAdapterInfo, judgeRenderer, judgeWebGL, judgeWebGPU, type AdapterInfoLike } from './judgeGpu.js';
export { timeSomStep, type SomStepProbe } from './timeSomStep.js';
export { useBackendWith, listBackendsWith, type BackendHost, type BackendProbe, type BackendDeps } from './useBackendWith.js';
export {
  BACKEND_PREFERENCES,
  type BackendChoice,
  type BackendJudgement,
  type BackendName,
  type BackendPreference,
  type BackendRefusal,
  type BackendTiming,
  type RuntimeName,
  type UseBackendOptions,
} from './types.js';
