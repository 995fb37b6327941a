import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';

/** Whether a backend can run the tests, and if not, why. */
export type BackendStatus =
  | { readonly name: string; readonly available: true }
  | { readonly name: string; readonly available: false; readonly reason: string };

/** Options of {@link describeBackends}. */
export interface DescribeBackendsOptions {
  /**
   * Backends that must run: instead of being skipped, an unavailable one gets a failing test
   * carrying the reason (use in CI for the backends you promise). `true` = all of them.
   */
  readonly required?: boolean | readonly string[];
  /** Timeout of the `beforeAll` that activates the backend, in ms (tfjs default otherwise). */
  readonly timeout?: number;
}

/** Packages that register each tfjs backend when imported, tried in order. */
const PACKAGES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  cpu: ['@tensorflow/tfjs-backend-cpu'],
  wasm: ['@tensorflow/tfjs-backend-wasm'],
  webgl: ['@tensorflow/tfjs-backend-webgl'],
  webgpu: ['@tensorflow/tfjs-backend-webgpu'],
  tensorflow: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
});

type G = {
  process?: { versions?: { node?: string }; getBuiltinModule?(id: string): unknown };
  navigator?: { gpu?: unknown };
  document?: unknown;
  OffscreenCanvas?: unknown;
};

const isNode = (): boolean => typeof (globalThis as G).process?.versions?.node === 'string';

/** Why `name` cannot work in this process before anything is imported, or `true`. */
function precheck(name: string): true | string {
  const g = globalThis as G;
  if (name === 'webgpu' && g.navigator?.gpu == null) {
    return isNode()
      ? "navigator.gpu is missing in this Node process (set it up with the npm 'webgpu' package before the tests)"
      : 'navigator.gpu is missing: this browser has no WebGPU (or it is disabled)';
  }
  if (name === 'webgl' && g.document === undefined && g.OffscreenCanvas === undefined) return 'WebGL needs a browser canvas, and there is none here';
  if (name === 'tensorflow' && !isNode()) return 'the tensorflow backend (tfjs-node) runs only in Node';
  return true;
}

type Resolver = { resolve(spec: string): string };

/**
 * Synchronous "is this package installed?" for Node, via `createRequire` (reached through
 * `process.getBuiltinModule`, so nothing Node-only is imported statically). `undefined` where it
 * cannot be told (browsers, older Node).
 */
function installed(spec: string): boolean | undefined {
  const mod = (globalThis as G).process?.getBuiltinModule?.('node:module') as
    | { createRequire?(from: string): Resolver }
    | undefined;
  if (typeof mod?.createRequire !== 'function') return undefined;
  try {
    const req = mod.createRequire((import.meta as unknown as { url: string }).url) as Resolver & { resolve: { paths?(s: string): string[] | null } };
    // `import()` ignores NODE_PATH (pnpm exec sets it to the hidden hoisted store): look only in
    // the node_modules folders above this file, as ESM resolution does.
    const fs = (globalThis as G).process?.getBuiltinModule?.('node:fs') as { existsSync(p: string): boolean } | undefined;
    const nodePath = ((globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['NODE_PATH'] ?? '').split(':').filter(Boolean);
    const dirs = req.resolve.paths?.(spec)?.filter((d) => d.endsWith('node_modules') && !nodePath.includes(d));
    if (fs !== undefined && dirs !== undefined) return dirs.some((d) => fs.existsSync(`${d}/${spec}/package.json`));
    req.resolve(spec);
    return true;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    // Installed, but with an exports map that has no `require` entry.
    if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return true;
    return code === 'MODULE_NOT_FOUND' ? false : undefined;
  }
}

/**
 * What can be told about `name` synchronously, at collection time: registered already → available;
 * a failed precondition or no installed package → unavailable with the reason; otherwise assumed
 * available (the `beforeAll` that activates it reports real failures).
 */
export function backendStatus(name: string): BackendStatus {
  if (tf.findBackendFactory(name) != null) return { name, available: true };
  const pre = precheck(name);
  if (pre !== true) return { name, available: false, reason: pre };
  const packages = PACKAGES[name];
  if (packages === undefined) {
    return { name, available: false, reason: `no known package registers a '${name}' backend; import or register it before describeBackends` };
  }
  const found = packages.map(installed);
  if (found.every((f) => f === false)) {
    const list = packages.join(' or ');
    return { name, available: false, reason: `${list} ${packages.length > 1 ? 'are' : 'is'} not installed` };
  }
  return { name, available: true };
}

async function importFirst(packages: readonly string[]): Promise<true | string> {
  const errors: string[] = [];
  for (const spec of packages) {
    try {
      await import(/* webpackIgnore: true */ /* @vite-ignore */ spec);
      return true;
    } catch (e) {
      errors.push(`${spec}: ${String((e as { message?: unknown }).message ?? e).split('\n')[0]}`);
    }
  }
  return `could not import ${errors.join('; ')}`;
}

/**
 * Imports the package of backend `name` (unless it is registered already), makes it the active
 * tfjs backend and waits for it.
 *
 * @returns `true`, or why it could not be activated
 */
export async function activateBackend(name: string): Promise<true | string> {
  const pre = precheck(name);
  if (pre !== true && tf.findBackendFactory(name) == null) return pre;
  if (tf.findBackendFactory(name) == null) {
    const packages = PACKAGES[name];
    if (packages === undefined) return `no known package registers a '${name}' backend`;
    const imported = await importFirst(packages);
    if (imported !== true) return imported;
    if (tf.findBackendFactory(name) == null) return `importing ${packages.join(' / ')} did not register a '${name}' backend`;
  }
  const entry = tf.engine().registryFactory[name];
  let initError: unknown;
  // tfjs turns a failing backend factory into `false` plus a console warning; keep the error.
  const original = entry?.factory;
  if (entry !== undefined && original !== undefined) {
    entry.factory = () => {
      try {
        const made = original();
        return typeof (made as { then?: unknown }).then === 'function'
          ? Promise.resolve(made).catch((e: unknown) => {
              initError = e;
              throw e;
            })
          : made;
      } catch (e) {
        initError = e;
        throw e;
      }
    };
  }
  try {
    const ok = await tf.setBackend(name);
    if (!ok) {
      const why = initError === undefined ? 'tf.setBackend returned false' : String((initError as { message?: unknown }).message ?? initError);
      return `initialisation of '${name}' failed: ${why}`;
    }
    await tf.ready();
    return true;
  } catch (e) {
    return `initialisation of '${name}' failed: ${String((e as { message?: unknown }).message ?? e)}`;
  } finally {
    if (entry !== undefined && original !== undefined) entry.factory = original;
  }
}

/**
 * Checks each backend for real: imports its package, activates it, then restores the backend that
 * was active. Await it at the top of a test file and pass the result to {@link describeBackends},
 * so init failures (no WebGPU adapter, wasm that cannot instantiate) become skip reasons too.
 *
 * ```ts
 * const backends = await availableBackends(['cpu', 'wasm', 'webgpu', 'tensorflow']);
 * describeBackends(backends, (backend) => { it('…', () => { … }) });
 * ```
 */
export async function availableBackends(names: readonly string[]): Promise<BackendStatus[]> {
  const previous = tf.getBackend() as string | null | undefined;
  const out: BackendStatus[] = [];
  for (const name of names) {
    const quick = backendStatus(name);
    if (!quick.available) {
      out.push(quick);
      continue;
    }
    const r = await activateBackend(name);
    out.push(r === true ? { name, available: true } : { name, available: false, reason: r });
  }
  if (typeof previous === 'string' && previous.length > 0 && tf.findBackendFactory(previous) != null) await tf.setBackend(previous);
  return out;
}

/**
 * Runs the same tests once per tfjs backend (tfjs `describeWithFlags`, TorchSOM's device fixture):
 * one `describe('on <name>')` per backend whose `beforeAll` activates it (and `afterAll` restores
 * the previous one). A backend that is unavailable becomes
 * `describe.skip('on <name> — skipped: <reason>')`, so the reason shows in the report.
 *
 * Give names to decide synchronously (installed packages, `navigator.gpu`), or the result of
 * {@link availableBackends} (top-level await) to also turn initialisation failures into skips.
 *
 * ```ts
 * describeBackends(['cpu', 'wasm', 'tensorflow'], (backend) => {
 *   it('adds', () => expectClose(tf.add(1, 2).dataSync(), [3]));
 * });
 * ```
 *
 * @param backends - backend names, or statuses from {@link availableBackends}
 * @param fn - defines the tests; called once per backend at collection time
 */
export function describeBackends(
  backends: ReadonlyArray<string | BackendStatus>,
  fn: (backend: string) => void,
  opts: DescribeBackendsOptions = {},
): void {
  for (const entry of backends) {
    const status = typeof entry === 'string' ? backendStatus(entry) : entry;
    const name = status.name;
    const required = opts.required === true || (Array.isArray(opts.required) && opts.required.includes(name));
    if (!status.available) {
      if (required) {
        describe(`on ${name}`, () => {
          it('is available (required)', () => {
            throw new Error(`Backend '${name}' is required but unavailable: ${status.reason}`);
          });
        });
      } else {
        describe.skip(`on ${name} — skipped: ${status.reason}`, () => fn(name));
      }
      continue;
    }
    describe(`on ${name}`, () => {
      let previous: string | undefined;
      beforeAll(async () => {
        const p = tf.getBackend() as string | null | undefined;
        previous = typeof p === 'string' && p.length > 0 ? p : undefined;
        const r = await activateBackend(name);
        if (r !== true) throw new Error(`describeBackends: backend '${name}' could not be activated: ${r}`);
      }, opts.timeout);
      afterAll(async () => {
        if (previous !== undefined && previous !== name && tf.findBackendFactory(previous) != null) await tf.setBackend(previous);
      });
      fn(name);
    });
  }
}
