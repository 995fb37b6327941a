import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { isSomError, type SomError } from '@somkit/plugin-api';
import { env, listBackends, useBackend } from './node.js';
import * as web from './web.js';
import { activateBackend } from './activateBackend.js';

// Node built-ins without @types/node (this package type-checks with `types: []`).
const node = (globalThis as unknown as { process: { getBuiltinModule(id: string): unknown } }).process;
const { readFileSync } = node.getBuiltinModule('node:fs') as { readFileSync(path: string, encoding: 'utf8'): string };
const { fileURLToPath } = node.getBuiltinModule('node:url') as { fileURLToPath(url: string): string };
const srcDir = fileURLToPath((import.meta as unknown as { url: string }).url).replace(/[^/\\]+$/, '');

async function thrown(p: Promise<unknown>): Promise<SomError> {
  try {
    await p;
  } catch (e) {
    return e as SomError;
  }
  throw new Error('expected a rejection');
}

describe('useBackend (Node entry, real tfjs)', () => {
  it('lists the Node auto order', () => {
    expect(listBackends()).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    expect(Object.isFrozen(listBackends())).toBe(true);
  });

  it("'auto' picks wasm here, refusing tensorflow (not installed) and webgpu (no adapter)", async () => {
    const choice = await useBackend();
    expect(choice.backend).toBe('wasm');
    expect(choice.requested).toBe('auto');
    expect(choice.runtime).toBe('node');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.refused.map((r) => r.backend)).toEqual(['tensorflow', 'webgpu']);
    const [tfNode, webgpu] = choice.refused;
    expect(tfNode?.reason).toMatch(/package @tensorflow\/tfjs-node-gpu is not installed/);
    expect(tfNode?.reason).toMatch(/package @tensorflow\/tfjs-node is not installed/);
    expect(tfNode?.reason).toMatch(/npm i @tensorflow\/tfjs-node/);
    expect(webgpu?.reason).toMatch(/no WebGPU adapter in this Node process; install the npm 'webgpu' package/);
    // The wasm backend found its .wasm binaries by itself (no wasmPaths given) and computes.
    const s = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])));
    expect(Array.from(await s.data())).toEqual([4, 6]);
    s.dispose();
  });

  it("explicit 'cpu' works and refuses nothing", async () => {
    const choice = await useBackend('cpu');
    expect(choice).toEqual({ backend: 'cpu', requested: 'cpu', refused: [], runtime: 'node' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it("explicit 'tensorflow' throws ERR_BACKEND_UNSUPPORTED naming the package to install, keeping the active backend", async () => {
    await useBackend('cpu');
    const e = await thrown(useBackend('tensorflow'));
    expect(isSomError(e, 'ERR_BACKEND_UNSUPPORTED')).toBe(true);
    expect(e.message).toMatch(/npm i @tensorflow\/tfjs-node/);
    expect(e.message).toMatch(/tensorflow, webgpu, wasm, cpu/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it("explicit 'webgpu' and 'webgl' are refused in this Node process with reasons", async () => {
    const gpu = await thrown(useBackend('webgpu'));
    expect(isSomError(gpu, 'ERR_BACKEND_UNSUPPORTED')).toBe(true);
    expect(gpu.message).toMatch(/npm 'webgpu' package/);
    const gl = await thrown(useBackend('webgl'));
    expect(isSomError(gl, 'ERR_BACKEND_UNSUPPORTED')).toBe(true);
    expect(gl.message).toMatch(/Node/);
  });

  it('an unknown name throws ERR_INVALID_CONFIG listing the choices', async () => {
    const e = await thrown(useBackend('cuda' as never));
    expect(isSomError(e, 'ERR_INVALID_CONFIG')).toBe(true);
    expect(e.message).toMatch(/'cuda'/);
    expect(e.message).toMatch(/auto, webgpu, webgl, wasm, cpu, tensorflow/);
  });

  it('rejects bad options', async () => {
    expect(isSomError(await thrown(useBackend('wasm', { threads: 0 })), 'ERR_INVALID_CONFIG')).toBe(true);
    expect(isSomError(await thrown(useBackend('wasm', { wasmPaths: '' })), 'ERR_INVALID_CONFIG')).toBe(true);
  });

  describe('with navigator.gpu present', () => {
    afterEach(() => {
      delete (globalThis as { navigator?: unknown }).navigator;
    });
    it('gets past the WebGPU probe and refuses only because the backend package is missing', async () => {
      const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
      expect(had).toBeUndefined(); // Node 20 has no global navigator
      Object.defineProperty(globalThis, 'navigator', { value: { gpu: {} }, configurable: true });
      expect(env.hasNavigatorGpu).toBe(true);
      const e = await thrown(useBackend('webgpu'));
      expect(e.message).toMatch(/package @tensorflow\/tfjs-backend-webgpu is not installed: npm i @tensorflow\/tfjs-backend-webgpu/);
    });
  });
});

describe('env', () => {
  it('is one frozen object of probes', () => {
    expect(Object.isFrozen(env)).toBe(true);
    expect(env.isNode).toBe(true);
    expect(env.hasNavigatorGpu).toBe(false);
    expect(env.hasWebGL).toBe(false);
  });
});

describe('entries', () => {
  it("the package's source condition resolves to the Node entry under vitest", async () => {
    const pkg = (await import('@somkit/runtime')) as typeof import('./node.js');
    expect(pkg.listBackends()).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    expect(pkg.useBackend).toBe(useBackend);
  });

  it('the web entry has the browser order and imports nothing Node-only', () => {
    expect(web.listBackends()).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    for (const file of ['web.ts', 'env.ts', 'probes.ts', 'useBackendWith.ts', 'activateBackend.ts', 'importOptional.ts', 'types.ts']) {
      const src = readFileSync(srcDir + file, 'utf8');
      expect(src, file).not.toMatch(/from ['"]node:|from ['"]\.\/node\.js['"]|import\(['"]node:/);
    }
  });

  it('the web entry refuses tensorflow with a reason', async () => {
    const e = await thrown(web.useBackend('tensorflow'));
    expect(isSomError(e, 'ERR_BACKEND_UNSUPPORTED')).toBe(true);
    expect(e.message).toMatch(/needs Node/);
  });
});

describe('activateBackend', () => {
  it('reports the error a failing backend factory threw (sync and async)', async () => {
    await useBackend('cpu');
    const quiet = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', true); // silences tfjs's own console warning about the failure
    try {
      tf.registerBackend('somkit-test-sync', () => {
        throw new Error('boom (sync)');
      });
      tf.registerBackend('somkit-test-async', () => Promise.reject(new Error('boom (async)')));
      expect(await activateBackend('somkit-test-sync')).toMatch(/initialisation failed: boom \(sync\)/);
      expect(await activateBackend('somkit-test-async')).toMatch(/initialisation failed: boom \(async\)/);
      expect(await activateBackend('somkit-test-missing')).toMatch(/no tfjs backend is registered/);
    } finally {
      tf.removeBackend('somkit-test-sync');
      tf.removeBackend('somkit-test-async');
      tf.env().set('IS_TEST', quiet);
      await tf.setBackend('cpu');
    }
  });
});
