import { logger } from '@somkit/plugin-api';
import { env } from './env.js';
import type { BackendProbe } from './useBackendWith.js';
import type { UseBackendOptions } from './types.js';

interface WasmPackage {
  setWasmPaths?(prefixOrFileMap: string, usePlatformFetch?: boolean): void;
  setThreadsCount?(n: number): void;
}

function configureWasm(mod: unknown, opts: UseBackendOptions): void {
  const wasm = mod as WasmPackage;
  if (opts.wasmPaths !== undefined) {
    if (typeof wasm.setWasmPaths !== 'function') throw new Error('the package exports no setWasmPaths()');
    wasm.setWasmPaths(opts.wasmPaths);
  }
  if (opts.threads !== undefined) {
    if (env.isNode) {
      // tfjs hard-codes WASM_HAS_MULTITHREAD_SUPPORT=false in Node (tfjs#3830).
      logger.warnOnce('runtime:wasm-threads-node', `useBackend: opts.threads=${opts.threads} is ignored: the tfjs wasm backend runs single-threaded in Node.`);
    }
    wasm.setThreadsCount?.(opts.threads);
  }
}

/** cpu: pure JS, works everywhere; the last resort of every `auto` order. */
export const cpuProbe: BackendProbe = Object.freeze({
  packages: ['@tensorflow/tfjs-backend-cpu'],
  install: 'npm i @tensorflow/tfjs-backend-cpu',
});

/** wasm: XNNPACK/SIMD; finds its .wasm files next to itself in Node, needs `wasmPaths` in most bundles. */
export const wasmProbe: BackendProbe = Object.freeze({
  packages: ['@tensorflow/tfjs-backend-wasm'],
  install: 'npm i @tensorflow/tfjs-backend-wasm',
  configure: configureWasm,
});

/** webgl: browsers (and workers with OffscreenCanvas). */
export const webglProbe: BackendProbe = Object.freeze({
  packages: ['@tensorflow/tfjs-backend-webgl'],
  install: 'npm i @tensorflow/tfjs-backend-webgl',
  precheck: () => (env.hasWebGL ? true : 'no WebGL context can be created here (no canvas/OffscreenCanvas, or WebGL is disabled)'),
});
