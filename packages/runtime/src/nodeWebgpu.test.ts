import { afterAll, describe, expect, it } from 'vitest';
import { isSomError, type SomError } from '@somkit/plugin-api';
import { isNotInstalled } from './importOptional.js';
import { makeNodeWebGPU, webgpuRequestedByEnv, type NodeWebGPUDeps } from './nodeWebgpu.js';
import { useBackend } from './node.js';

// Node built-ins without @types/node (this package type-checks with `types: []`).
interface ChildResult {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  error?: Error;
}
const proc = (globalThis as unknown as {
  process: { env: Record<string, string | undefined>; execPath: string; getBuiltinModule(id: string): unknown };
}).process;
const fs = proc.getBuiltinModule('node:fs') as {
  existsSync(p: string): boolean;
  mkdirSync(p: string, o: { recursive: boolean }): void;
  mkdtempSync(prefix: string): string;
  writeFileSync(p: string, data: string): void;
  rmSync(p: string, o: { recursive: boolean; force: boolean }): void;
};
const cp = proc.getBuiltinModule('node:child_process') as {
  spawnSync(cmd: string, args: string[], o: { cwd: string; env: Record<string, string | undefined>; encoding: 'utf8'; timeout: number; killSignal: string }): ChildResult;
};
const { fileURLToPath } = proc.getBuiltinModule('node:url') as { fileURLToPath(url: string): string };
const pkgDir = fileURLToPath((import.meta as unknown as { url: string }).url).replace(/\/src\/[^/]+$/, '');
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

async function thrown(p: Promise<unknown>): Promise<SomError> {
  try {
    await p;
  } catch (e) {
    return e as SomError;
  }
  throw new Error('expected a rejection');
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

interface FakeOptions {
  module?: unknown;
  env?: Record<string, string | undefined>;
  gpu?: boolean;
}

function fake(o: FakeOptions) {
  const log: string[] = [];
  const installed: unknown[] = [];
  const deps: NodeWebGPUDeps = {
    async importModule(spec) {
      log.push(`import ${spec}`);
      if (o.module === undefined) throw Object.assign(new Error(`Cannot find package '${spec}' imported from /app/x.js`), { code: 'ERR_MODULE_NOT_FOUND' });
      if (o.module instanceof Error) throw o.module;
      return o.module;
    },
    env: () => o.env ?? {},
    hasGpu: () => o.gpu === true,
    install(gpu, globals) {
      installed.push(gpu, globals);
    },
  };
  return { setup: makeNodeWebGPU(deps), log, installed };
}

const adapter = (device: () => Promise<unknown>) => ({
  info: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true },
  requestDevice: device as () => Promise<{ destroy?(): void } | null>,
});
const dawn = (requestAdapter: () => Promise<unknown>, seen: string[][] = []) => ({
  create(options: string[]) {
    seen.push(options);
    return { requestAdapter };
  },
  globals: { GPUBufferUsage: { MAP_READ: 1 } },
});

describe('setupNodeWebGPU (fake Dawn)', () => {
  it('says how to install the npm webgpu package when it is missing', async () => {
    const { setup, installed } = fake({});
    expect(await setup()).toBe("no WebGPU adapter in this Node process: the npm 'webgpu' package (Dawn) is not installed: npm i webgpu");
    expect(installed).toEqual([]);
  });

  it('reports a package that fails to load', async () => {
    const { setup } = fake({ module: new Error('dawn.node: invalid ELF header\n  at dlopen') });
    expect(await setup()).toBe("the npm 'webgpu' package failed to load: dawn.node: invalid ELF header");
  });

  it('no adapter: explains VK_ICD_FILENAMES / LD_LIBRARY_PATH, or names the ICD that was set', async () => {
    const unset = fake({ module: dawn(async () => null) });
    const r1 = await unset.setup();
    expect(r1).toMatch(/found no WebGPU adapter/);
    expect(r1).toContain(`VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`);
    expect(r1).toContain('LD_LIBRARY_PATH=/usr/lib/chromium');
    const set = fake({ module: dawn(async () => null), env: { VK_ICD_FILENAMES: '/x/icd.json' } });
    expect(await set.setup()).toMatch(/\(VK_ICD_FILENAMES=\/x\/icd\.json\)\. Check that the ICD file exists/);
    expect(unset.installed).toEqual([]);
  });

  it('never hangs: a requestAdapter() that does not answer is refused after the timeout', async () => {
    const { setup, installed } = fake({ module: dawn(never) });
    const t0 = Date.now();
    expect(await setup({ timeoutMs: 50 })).toMatch(/requestAdapter\(\) did not answer within 0\.05 s/);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(installed).toEqual([]);
  });

  it('never hangs on requestDevice() either', async () => {
    const { setup } = fake({ module: dawn(async () => adapter(never)) });
    expect(await setup({ timeoutMs: 50 })).toMatch(/found an adapter, but requestDevice\(\) did not answer within 0\.05 s/);
  });

  it('installs navigator.gpu and the globals once an adapter and a device answer; remembers the outcome', async () => {
    const seen: string[][] = [];
    let destroyed = 0;
    const mod = dawn(async () => adapter(async () => ({ destroy: () => void destroyed++ })), seen);
    const { setup, log, installed } = fake({ module: mod });
    expect(await setup({ dawnOptions: ['backend=vulkan'] })).toBe(true);
    expect(await setup()).toBe(true);
    expect(log).toEqual(['import webgpu']);
    expect(seen).toEqual([['backend=vulkan']]);
    expect(destroyed).toBe(1); // the probe device is given back
    expect(installed[1]).toBe(mod.globals);
    expect((setup as unknown as { adapter: unknown }).adapter).toEqual({
      vendor: 'google',
      architecture: 'swiftshader',
      description: 'SwiftShader driver 5.0.0',
      isFallbackAdapter: true,
    });
  });

  it('uses an existing navigator.gpu as it is', async () => {
    const { setup, log } = fake({ gpu: true });
    expect(await setup()).toBe(true);
    expect(log).toEqual([]);
  });

  it("a missing package stays 'not installed' when Node adds a 'Did you mean' hint (NODE_PATH set)", () => {
    const spec = '@tensorflow/tfjs-backend-webgpu';
    const hinted = Object.assign(new Error(`Cannot find package '${spec}' imported from /app/a.mjs\nDid you mean to import "${spec}/dist/tf-backend-webgpu.node.js"?`), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(isNotInstalled(hinted, spec)).toBe(true);
    const transitive = Object.assign(new Error("Cannot find package 'debug' imported from /app/node_modules/webgpu/index.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(isNotInstalled(transitive, 'webgpu')).toBe(false);
  });

  it('SOMKIT_WEBGPU opts in with 1/true/yes/on', () => {
    for (const v of ['1', 'true', 'YES', ' on ']) expect(webgpuRequestedByEnv({ SOMKIT_WEBGPU: v })).toBe(true);
    for (const v of [undefined, '', '0', 'false', 'no']) expect(webgpuRequestedByEnv({ SOMKIT_WEBGPU: v })).toBe(false);
  });
});

describe('useBackend and WebGPU in Node (opt-in)', () => {
  it("'auto' does not load Dawn unless asked, and says how to ask", async () => {
    const had = proc.env['SOMKIT_WEBGPU'];
    delete proc.env['SOMKIT_WEBGPU'];
    try {
      const c = await useBackend('auto');
      const why = c.refused.find((r) => r.backend === 'webgpu')?.reason ?? '';
      expect(why).toMatch(/useBackend\('auto', \{ webgpu: true \}\) or SOMKIT_WEBGPU=1/);
    } finally {
      if (had !== undefined) proc.env['SOMKIT_WEBGPU'] = had;
    }
  });

  it('rejects bad WebGPU options', async () => {
    expect(isSomError(await thrown(useBackend('auto', { webgpu: 'yes' as never })), 'ERR_INVALID_CONFIG')).toBe(true);
    expect(isSomError(await thrown(useBackend('webgpu', { webgpuTimeoutMs: 0 })), 'ERR_INVALID_CONFIG')).toBe(true);
  });
});

// Real Dawn in a child process: the Vulkan loader must see VK_ICD_FILENAMES, and the dynamic
// linker LD_LIBRARY_PATH, when the process starts. The child is this package's Node entry bundled
// with esbuild (conditions ['@somkit/source'], @tensorflow/* and webgpu external).
const realReason = !fs.existsSync(SWIFTSHADER_ICD) ? `${SWIFTSHADER_ICD} is missing (apt-get install chromium)` : undefined;

describe('WebGPU in Node with the real npm webgpu package (child process, SwiftShader)', () => {
  const dir = `${pkgDir}/node_modules/.somkit-test`;
  afterAll(() => { if (proc.env['KEEP'] === undefined) fs.rmSync(dir, { recursive: true, force: true }); });
  (realReason === undefined ? it : it.skip)(
    realReason === undefined
      ? "setupNodeWebGPU() finds SwiftShader's adapter and installs navigator.gpu; SOMKIT_WEBGPU=1 makes 'auto' try it"
      : `setupNodeWebGPU() with the real package — skipped: ${realReason}`,
    async () => {
      const esbuild = await import('esbuild');
      fs.mkdirSync(dir, { recursive: true });
      const work = fs.mkdtempSync(`${dir}/run-`);
      const entry = `${work}/child.ts`;
      fs.writeFileSync(
        entry,
        `import { env, nodeWebGPUAdapter, setupNodeWebGPU, useBackend } from '@somkit/runtime';
const t0 = Date.now();
const ready = await setupNodeWebGPU();
const g = globalThis as unknown as { GPUBufferUsage?: unknown };
const auto = await useBackend('auto').catch((e: Error) => ({ backend: 'error: ' + e.message, refused: [] }));
console.log('RESULT ' + JSON.stringify({ ready, ms: Date.now() - t0, adapter: nodeWebGPUAdapter(), hasGpu: env.hasNavigatorGpu,
  constants: (g.GPUBufferUsage as { MAP_READ?: number } | undefined)?.MAP_READ === 1, auto: auto.backend, refused: auto.refused }));
`,
      );
      const out = `${work}/child.mjs`;
      await esbuild.build({
        entryPoints: [entry],
        outfile: out,
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        conditions: ['@somkit/source'],
        external: ['@tensorflow/*', 'webgpu'],
        logLevel: 'silent',
      });
      const env: Record<string, string | undefined> = { ...proc.env, SOMKIT_WEBGPU: '1', VK_ICD_FILENAMES: SWIFTSHADER_ICD };
      env['LD_LIBRARY_PATH'] = ['/usr/lib/chromium', proc.env['LD_LIBRARY_PATH']].filter(Boolean).join(':');
      const r = cp.spawnSync(proc.execPath, [out], { cwd: pkgDir, env, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
      const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      expect(line, `child exit ${r.status} ${r.signal ?? ''}\n${r.stdout}\n${r.stderr}`).toBeDefined();
      const res = JSON.parse((line as string).slice(7)) as {
        ready: true | string;
        adapter?: { vendor: string; architecture: string; isFallbackAdapter: boolean };
        hasGpu: boolean;
        constants: boolean;
        auto: string;
        refused: Array<{ backend: string; reason: string }>;
      };
      expect(res.ready).toBe(true);
      expect(res.adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true });
      expect(res.hasGpu).toBe(true);
      expect(res.constants).toBe(true);
      // This package does not depend on @tensorflow/tfjs-backend-webgpu, so 'auto' gets past
      // Dawn and stops at the missing backend package (apps import it; see @somkit/core's backends test).
      expect(res.refused.find((x) => x.backend === 'webgpu')?.reason).toMatch(/package @tensorflow\/tfjs-backend-webgpu is not installed/);
      expect(res.auto).toBe('wasm');
      expect(r.status).toBe(0);
    },
    90_000,
  );
});
