import { describe, expect, it } from 'vitest';
import { isSomError, logger, type SomError } from '@somkit/plugin-api';
import { useBackendWith, type BackendDeps, type BackendHost, type BackendProbe } from './useBackendWith.js';
import { wasmProbe } from './probes.js';

const notFound = (spec: string): Error =>
  Object.assign(new Error(`Cannot find package '${spec}' imported from /app/index.js`), { code: 'ERR_MODULE_NOT_FOUND' });

interface Fake {
  /** spec → module, or an error to throw; absent = not installed. Importing registers `registers[spec]`. */
  modules: Record<string, unknown>;
  registers: Record<string, string>;
  /** backend → init failure message. */
  initFails?: Record<string, string>;
  registered?: string[];
  gpu?: boolean;
}

function makeHost(f: Fake, order: BackendHost['order'] = ['tensorflow', 'webgpu', 'wasm', 'cpu']) {
  const registered = new Set(f.registered ?? []);
  const log: string[] = [];
  let active: string | undefined = 'cpu';
  const deps: BackendDeps = {
    async importModule(spec) {
      log.push(`import ${spec}`);
      if (!(spec in f.modules)) throw notFound(spec);
      const m = f.modules[spec];
      if (m instanceof Error) throw m;
      const name = f.registers[spec];
      if (name !== undefined) registered.add(name);
      return m;
    },
    isRegistered: (name) => registered.has(name),
    async activate(name) {
      log.push(`activate ${name}`);
      active = name;
      const fail = f.initFails?.[name];
      return fail === undefined ? true : `initialisation failed: ${fail}`;
    },
    current: () => active,
    async restore(name) {
      log.push(`restore ${String(name)}`);
      active = name;
    },
  };
  const probe = (packages: string[], extra?: Partial<BackendProbe>): BackendProbe => ({ packages, install: `npm i ${packages.at(-1)}`, ...extra });
  const host: BackendHost = {
    runtime: 'node',
    order,
    probes: {
      tensorflow: probe(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']),
      webgpu: probe(['@tensorflow/tfjs-backend-webgpu'], { precheck: () => (f.gpu === true ? true : 'no navigator.gpu') }),
      wasm: { ...wasmProbe },
      cpu: probe(['@tensorflow/tfjs-backend-cpu']),
    },
    unsupported: { webgl: 'no canvas in Node' },
    deps,
  };
  return { host, log };
}

async function thrown(p: Promise<unknown>): Promise<SomError> {
  try {
    await p;
  } catch (e) {
    return e as SomError;
  }
  throw new Error('expected a rejection');
}

const cpuAndWasm = {
  '@tensorflow/tfjs-backend-wasm': {},
  '@tensorflow/tfjs-backend-cpu': {},
};
const regs = {
  '@tensorflow/tfjs-node-gpu': 'tensorflow',
  '@tensorflow/tfjs-node': 'tensorflow',
  '@tensorflow/tfjs-backend-webgpu': 'webgpu',
  '@tensorflow/tfjs-backend-wasm': 'wasm',
  '@tensorflow/tfjs-backend-cpu': 'cpu',
};

describe('useBackendWith (fake probes)', () => {
  it('chooses tensorflow when tfjs-node imports (after tfjs-node-gpu is missing)', async () => {
    const { host, log } = makeHost({ modules: { ...cpuAndWasm, '@tensorflow/tfjs-node': {} }, registers: regs });
    const c = await useBackendWith(host, 'auto');
    expect(c).toEqual({ backend: 'tensorflow', requested: 'auto', refused: [], runtime: 'node' });
    expect(log).toEqual(['import @tensorflow/tfjs-node-gpu', 'import @tensorflow/tfjs-node', 'activate tensorflow']);
  });

  it('prefers tfjs-node-gpu when both are installed', async () => {
    const { host, log } = makeHost({ modules: { '@tensorflow/tfjs-node-gpu': {}, '@tensorflow/tfjs-node': {} }, registers: regs });
    expect((await useBackendWith(host)).backend).toBe('tensorflow');
    expect(log).not.toContain('import @tensorflow/tfjs-node');
  });

  it('falls through tensorflow → webgpu → wasm → cpu, recording each reason', async () => {
    const { host, log } = makeHost({ modules: cpuAndWasm, registers: regs, initFails: { wasm: 'WebAssembly.instantiate(): out of memory' } });
    const c = await useBackendWith(host, 'auto');
    expect(c.backend).toBe('cpu');
    expect(c.refused).toEqual([
      {
        backend: 'tensorflow',
        reason:
          'package @tensorflow/tfjs-node-gpu is not installed; package @tensorflow/tfjs-node is not installed: npm i @tensorflow/tfjs-node',
      },
      { backend: 'webgpu', reason: 'no navigator.gpu' },
      { backend: 'wasm', reason: 'initialisation failed: WebAssembly.instantiate(): out of memory' },
    ]);
    // The WebGPU precheck failed, so its package was never imported.
    expect(log).not.toContain('import @tensorflow/tfjs-backend-webgpu');
    expect(log.filter((l) => l.startsWith('activate'))).toEqual(['activate wasm', 'activate cpu']);
  });

  it('takes webgpu when navigator.gpu exists and its package loads', async () => {
    const { host } = makeHost({ modules: { '@tensorflow/tfjs-backend-webgpu': {} }, registers: regs, gpu: true });
    const c = await useBackendWith(host);
    expect(c.backend).toBe('webgpu');
    expect(c.refused.map((r) => r.backend)).toEqual(['tensorflow']);
  });

  it('reports a package that is installed but fails to load, without install advice', async () => {
    const broken = new Error('libtensorflow.so.2: cannot open shared object file\n    at Module._load');
    const { host } = makeHost({ modules: { ...cpuAndWasm, '@tensorflow/tfjs-node': broken }, registers: regs });
    const c = await useBackendWith(host);
    expect(c.backend).toBe('wasm');
    expect(c.refused[0]?.reason).toBe(
      'package @tensorflow/tfjs-node-gpu is not installed; package @tensorflow/tfjs-node failed to load: libtensorflow.so.2: cannot open shared object file',
    );
  });

  it('refuses a backend whose import does not register it', async () => {
    const { host } = makeHost({ modules: { '@tensorflow/tfjs-backend-webgpu': {}, ...cpuAndWasm }, registers: { ...regs, '@tensorflow/tfjs-backend-webgpu': '' }, gpu: true });
    const c = await useBackendWith(host);
    expect(c.refused[1]).toEqual({ backend: 'webgpu', reason: expect.stringMatching(/did not register a 'webgpu' backend/) });
  });

  it('uses a backend the app already registered even when its package cannot be imported (bundled browser apps)', async () => {
    const { host, log } = makeHost({ modules: {}, registers: regs, registered: ['wasm'] });
    const c = await useBackendWith(host, 'wasm');
    expect(c.backend).toBe('wasm');
    expect(log).toEqual(['activate wasm']);
  });

  it('passes wasmPaths and threads to the wasm package before initialising it', async () => {
    const calls: string[] = [];
    const wasmModule = { setWasmPaths: (p: string) => calls.push(`paths ${p}`), setThreadsCount: (n: number) => calls.push(`threads ${n}`) };
    const { host, log } = makeHost({ modules: { '@tensorflow/tfjs-backend-wasm': wasmModule }, registers: regs, registered: ['wasm'] });
    const logged: string[] = [];
    logger.setSink((level, message) => logged.push(`${level}: ${message}`));
    try {
      await useBackendWith(host, 'wasm', { wasmPaths: 'https://cdn.example/tfjs-wasm/', threads: 4 });
    } finally {
      logger.setSink(undefined);
    }
    expect(calls).toEqual(['paths https://cdn.example/tfjs-wasm/', 'threads 4']);
    // In Node tfjs runs wasm single-threaded: said once, through the somkit logger.
    expect(logged).toEqual([expect.stringMatching(/^warn: useBackend: opts\.threads=4 is ignored/)]);
    expect(log).toEqual(['import @tensorflow/tfjs-backend-wasm', 'activate wasm']);
  });

  it('an explicit backend that fails throws ERR_BACKEND_UNSUPPORTED and restores the previous backend', async () => {
    const { host, log } = makeHost({ modules: cpuAndWasm, registers: regs, initFails: { wasm: 'no SIMD' } });
    const e = await thrown(useBackendWith(host, 'wasm'));
    expect(isSomError(e, 'ERR_BACKEND_UNSUPPORTED')).toBe(true);
    expect(e.message).toMatch(/Backend 'wasm' cannot be used in Node: initialisation failed: no SIMD\. Choices in Node \('auto' order\): tensorflow, webgpu, wasm, cpu/);
    expect(e.details?.['refused']).toEqual([{ backend: 'wasm', reason: 'initialisation failed: no SIMD' }]);
    expect(log.at(-1)).toBe('restore cpu');
  });

  it('a backend outside the runtime order is refused up front', async () => {
    const { host, log } = makeHost({ modules: cpuAndWasm, registers: regs });
    const e = await thrown(useBackendWith(host, 'webgl'));
    expect(isSomError(e, 'ERR_BACKEND_UNSUPPORTED')).toBe(true);
    expect(e.message).toMatch(/no canvas in Node/);
    expect(log).toEqual([]);
  });

  it("'auto' with nothing usable throws with every reason", async () => {
    const { host } = makeHost({ modules: {}, registers: regs });
    const e = await thrown(useBackendWith(host));
    expect(isSomError(e, 'ERR_BACKEND_UNSUPPORTED')).toBe(true);
    expect(e.message).toMatch(/tensorflow: .*webgpu: no navigator\.gpu.*wasm: package @tensorflow\/tfjs-backend-wasm is not installed.*cpu: package @tensorflow\/tfjs-backend-cpu is not installed/);
  });

  it('serialises overlapping calls', async () => {
    const { host, log } = makeHost({ modules: cpuAndWasm, registers: regs });
    const [a, b] = await Promise.all([useBackendWith(host, 'cpu'), useBackendWith(host, 'wasm')]);
    expect([a.backend, b.backend]).toEqual(['cpu', 'wasm']);
    expect(log).toEqual(['import @tensorflow/tfjs-backend-cpu', 'activate cpu', 'import @tensorflow/tfjs-backend-wasm', 'activate wasm']);
  });
});
