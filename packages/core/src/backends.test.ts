// The same code on every backend: the cross-backend conformance suite of @somkit/testing
// (kernels, exact search, SOM training) on cpu, wasm and — in a child process, because the Vulkan
// loader must see VK_ICD_FILENAMES (and LD_LIBRARY_PATH) from the start — WebGPU in Node through
// the npm `webgpu` package (Dawn) on Chromium's SwiftShader. Reference values come from the cpu
// backend in the same process; tolerances: SOM_CONFORMANCE_TOLERANCES, docs/user-guide/backends.md.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { cosine, euclidean } from '@somkit/kernels';
import { bruteForce } from '@somkit/search';
import { describeBackends, runSomConformance, type BackendStatus, type SomConformanceImpl } from '@somkit/testing';
import { SOM } from './SOM.js';

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
  readFileSync(p: string, enc: 'utf8'): string;
  mkdtempSync(prefix: string): string;
  rmSync(p: string, o: { recursive: boolean; force: boolean }): void;
};
const os = proc.getBuiltinModule('node:os') as { tmpdir(): string };
const cp = proc.getBuiltinModule('node:child_process') as {
  spawnSync(cmd: string, args: string[], o: { cwd: string; env: Record<string, string | undefined>; encoding: 'utf8'; timeout: number; killSignal: string; maxBuffer: number }): ChildResult;
};
const { fileURLToPath } = proc.getBuiltinModule('node:url') as { fileURLToPath(url: string): string };

const here = fileURLToPath((import.meta as unknown as { url: string }).url);
const repoRoot = here.replace(/\/packages\/core\/src\/backends\.test\.ts$/, '');
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const CHILD = proc.env['SOMKIT_CONFORMANCE_CHILD'];

const impl: SomConformanceImpl = {
  createSom: (s) => new SOM(s),
  distances: [euclidean(), cosine()],
  search: bruteForce(),
};

if (CHILD === 'webgpu') {
  // ---- Child process: WebGPU in Node (started by the parent test below with the Vulkan env set).
  const { setupNodeWebGPU, nodeWebGPUAdapter, useBackend } = await import('@somkit/runtime');
  const ready = await setupNodeWebGPU();
  // tfjs-backend-webgpu registers itself only if navigator.gpu exists when first imported.
  if (ready === true) await import('@tensorflow/tfjs-backend-webgpu');
  const status: BackendStatus = ready === true ? { name: 'webgpu', available: true } : { name: 'webgpu', available: false, reason: ready };

  describe('WebGPU in Node (npm webgpu, Dawn)', () => {
    it('Dawn gives an adapter and useBackend picks webgpu, explicitly and for auto with { webgpu: true }', async () => {
      expect(ready).toBe(true);
      expect(nodeWebGPUAdapter()?.vendor).toBeTruthy();
      const explicit = await useBackend('webgpu');
      expect(explicit).toMatchObject({ backend: 'webgpu', requested: 'webgpu', runtime: 'node' });
      await useBackend('cpu');
      const auto = await useBackend('auto', { webgpu: true });
      expect(auto.backend).toBe('webgpu');
      expect(auto.refused.map((r) => r.backend)).toEqual(['tensorflow']);
      const s = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4]));
      expect(Array.from(await s.data())).toEqual([4, 6]);
      s.dispose();
    });
  });
  describeBackends([status], () => runSomConformance(impl), { required: true, timeout: 120_000 });
} else {
  // ---- Parent: cpu and wasm in this process, webgpu in a child vitest.
  describeBackends(['cpu', 'wasm'], () => runSomConformance(impl), { required: true });

  const reason = !fs.existsSync(SWIFTSHADER_ICD)
    ? `${SWIFTSHADER_ICD} is missing (apt-get install chromium provides Chromium's SwiftShader Vulkan driver)`
    : !fs.existsSync(`${repoRoot}/node_modules/webgpu/package.json`)
      ? "the npm 'webgpu' package is not installed at the repository root"
      : undefined;

  describe('on webgpu (Node: npm webgpu / Dawn on SwiftShader, child process)', () => {
    (reason === undefined ? it : it.skip)(
      reason === undefined
        ? 'passes the same conformance suite in a child vitest with VK_ICD_FILENAMES set'
        : `passes the same conformance suite in a child vitest — skipped: ${reason}`,
      () => {
        const dir = fs.mkdtempSync(`${os.tmpdir()}/somkit-webgpu-`);
        const report = `${dir}/report.json`;
        try {
          const env: Record<string, string | undefined> = {};
          // A fresh vitest: drop the parent's worker variables.
          for (const [k, v] of Object.entries(proc.env)) if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
          env['SOMKIT_CONFORMANCE_CHILD'] = 'webgpu';
          env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
          // Debian's chromium ships its own libvulkan.so.1; the system one (libvulkan1) is optional.
          env['LD_LIBRARY_PATH'] = ['/usr/lib/chromium', proc.env['LD_LIBRARY_PATH']].filter(Boolean).join(':');
          const vitest = `${repoRoot}/node_modules/vitest/vitest.mjs`;
          const args = [vitest, 'run', '--root', repoRoot, 'packages/core/src/backends.test.ts', '--reporter=json', `--outputFile=${report}`];
          const r = cp.spawnSync(proc.execPath, args, { cwd: repoRoot, env, encoding: 'utf8', timeout: 240_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
          const tail = `${r.stdout}\n${r.stderr}`.split('\n').slice(-30).join('\n');
          if (r.error !== undefined || r.signal !== null) throw new Error(`the child vitest did not finish (${r.error?.message ?? `signal ${r.signal}`}; limit 240 s):\n${tail}`);
          if (!fs.existsSync(report)) throw new Error(`the child vitest wrote no report (exit ${r.status}):\n${tail}`);
          const json = JSON.parse(fs.readFileSync(report, 'utf8')) as {
            numPassedTests: number;
            numFailedTests: number;
            numPendingTests: number;
            testResults: Array<{ message?: string; assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }>;
          };
          const results = json.testResults.flatMap((f) => f.assertionResults);
          const failed = results.filter((a) => a.status !== 'passed');
          const fileErrors = json.testResults.map((f) => f.message ?? '').filter((m) => m.length > 0);
          const summary = [...fileErrors, ...failed.map((a) => `${a.status}: ${a.fullName}\n    ${a.failureMessages.join('\n    ').split('\n').slice(0, 6).join('\n    ')}`)].join('\n');
          expect(summary, `child vitest on webgpu (exit ${r.status})`).toBe('');
          // 1 runtime test + 2 distances × (kernel + search) + 2 fits.
          expect(results.filter((a) => a.status === 'passed').length).toBe(7);
          expect(results.every((a) => /webgpu/i.test(a.fullName))).toBe(true);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      300_000,
    );
  });
}
