/**
 * WebGPU in Node through the npm `webgpu` package (Dawn's Node bindings). Imported only by the
 * Node entry.
 *
 * tfjs-backend-webgpu registers itself only if `globalThis.navigator.gpu` exists when it is first
 * imported, and it needs the WebGPU constants (`GPUBufferUsage`, `GPUMapMode`, …) as globals. This
 * module loads Dawn, asks it for an adapter (with a timeout: a broken driver stack can leave
 * `requestAdapter()` pending forever), and only when one comes back installs `navigator.gpu` and
 * the constants. Nothing global changes on failure.
 */
import { logger } from '@somkit/plugin-api';
import { errorText, importOptional, isNotInstalled } from './importOptional.js';
import { within } from './within.js';

/** The Chromium SwiftShader ICD that gives Dawn a CPU Vulkan device (Debian/Ubuntu `chromium`). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Default time {@link setupNodeWebGPU} waits for Dawn's adapter and device. */
export const DEFAULT_WEBGPU_TIMEOUT_MS = 10_000;

/** What Dawn said about the adapter it found. */
export interface NodeWebGPUAdapter {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  /** True for software adapters such as SwiftShader. */
  readonly isFallbackAdapter: boolean;
}

/** Options of {@link setupNodeWebGPU}. */
export interface NodeWebGPUOptions {
  /** How long to wait for the adapter and a test device, in ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Dawn toggles passed to `create()`, e.g. `['backend=vulkan']`. Default `[]`. */
  readonly dawnOptions?: readonly string[];
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  requestDevice(): Promise<{ destroy?(): void } | null>;
}

interface GpuLike {
  requestAdapter(options?: unknown): Promise<GpuAdapterLike | null>;
}

interface WebGpuPackage {
  create?(options: string[]): GpuLike;
  globals?: Record<string, unknown>;
}

/** The seams of {@link makeNodeWebGPU}; tests replace them. */
export interface NodeWebGPUDeps {
  importModule(specifier: string): Promise<unknown>;
  /** Environment variables (for the hints in refusal reasons). */
  env(): Readonly<Record<string, string | undefined>>;
  /** Installs `navigator.gpu` and the WebGPU constants. */
  install(gpu: GpuLike, globals: Record<string, unknown>): void;
  /** True when `navigator.gpu` exists already. */
  hasGpu(): boolean;
}

type G = {
  navigator?: Record<string, unknown>;
  process?: { env?: Record<string, string | undefined>; platform?: string };
};

const realDeps: NodeWebGPUDeps = {
  importModule: importOptional,
  env: () => (globalThis as G).process?.env ?? {},
  hasGpu: () => (globalThis as G).navigator?.['gpu'] != null,
  install(gpu, globals) {
    const g = globalThis as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(globals)) {
      if (!(k in g)) Object.defineProperty(g, k, { value: v, configurable: true, writable: true, enumerable: false });
    }
    const nav = (globalThis as G).navigator;
    if (nav !== undefined && nav !== null && typeof nav === 'object') {
      // Node ≥ 21 has a global navigator (userAgent, hardwareConcurrency, …) without gpu.
      Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true, enumerable: true });
    } else {
      Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    }
  },
};

function noAdapterHint(env: Readonly<Record<string, string | undefined>>): string {
  const icd = env['VK_ICD_FILENAMES'] ?? env['VK_DRIVER_FILES'];
  const base = "Dawn (the npm 'webgpu' package) found no WebGPU adapter: no GPU with a Vulkan driver is visible to this process";
  if (icd === undefined || icd === '') {
    return `${base}. Without a GPU, Chromium's SwiftShader works: start Node with VK_ICD_FILENAMES=${SWIFTSHADER_ICD} (and LD_LIBRARY_PATH=/usr/lib/chromium if libvulkan.so.1 is not installed); see @somkit/runtime README, 'WebGPU in Node'`;
  }
  return `${base} (VK_ICD_FILENAMES=${icd}). Check that the ICD file exists and that libvulkan.so.1 can be loaded (e.g. LD_LIBRARY_PATH=/usr/lib/chromium for Chromium's copy), both set before Node starts; see @somkit/runtime README, 'WebGPU in Node'`;
}

/** A {@link setupNodeWebGPU} over other seams (tests); it remembers its first outcome. */
export function makeNodeWebGPU(deps: NodeWebGPUDeps): (opts?: NodeWebGPUOptions) => Promise<true | string> {
  let outcome: Promise<true | string> | undefined;
  let adapter: NodeWebGPUAdapter | undefined;
  const setup = async (opts: NodeWebGPUOptions): Promise<true | string> => {
    if (deps.hasGpu()) return true;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_WEBGPU_TIMEOUT_MS;
    let mod: WebGpuPackage;
    try {
      mod = (await deps.importModule('webgpu')) as WebGpuPackage;
    } catch (e) {
      return isNotInstalled(e, 'webgpu')
        ? "no WebGPU adapter in this Node process: the npm 'webgpu' package (Dawn) is not installed: npm i webgpu"
        : `the npm 'webgpu' package failed to load: ${errorText(e)}`;
    }
    const create = mod.create ?? (mod as { default?: WebGpuPackage }).default?.create;
    const globals = mod.globals ?? (mod as { default?: WebGpuPackage }).default?.globals;
    if (typeof create !== 'function' || typeof globals !== 'object' || globals === null) {
      return "the npm 'webgpu' package exports no create()/globals; expected webgpu ≥ 0.2 (Dawn's Node bindings)";
    }
    let gpu: GpuLike;
    try {
      gpu = create([...(opts.dawnOptions ?? [])]);
    } catch (e) {
      return `Dawn (the npm 'webgpu' package) could not create a GPU instance: ${errorText(e)}`;
    }
    const secs = `${timeoutMs / 1000} s`;
    let found: { value: GpuAdapterLike | null } | 'timeout';
    try {
      found = await within(gpu.requestAdapter(), timeoutMs);
    } catch (e) {
      return `Dawn (the npm 'webgpu' package) failed in requestAdapter(): ${errorText(e)}`;
    }
    if (found === 'timeout') {
      return `Dawn (the npm 'webgpu' package): requestAdapter() did not answer within ${secs}; the GPU driver stack looks stuck (raise opts.webgpuTimeoutMs if it is only slow)`;
    }
    const a = found.value;
    if (a === null || a === undefined) return noAdapterHint(deps.env());
    // Prove a device can be made too, so tfjs's own (untimed) requestDevice will not hang.
    let device: { value: { destroy?(): void } | null } | 'timeout';
    try {
      device = await within(a.requestDevice(), timeoutMs);
    } catch (e) {
      return `Dawn (the npm 'webgpu' package) found an adapter, but requestDevice() failed: ${errorText(e)}`;
    }
    if (device === 'timeout') return `Dawn (the npm 'webgpu' package) found an adapter, but requestDevice() did not answer within ${secs}`;
    if (device.value === null) return "Dawn (the npm 'webgpu' package) found an adapter, but requestDevice() returned null";
    device.value.destroy?.();
    adapter = Object.freeze({
      vendor: a.info?.vendor ?? '',
      architecture: a.info?.architecture ?? '',
      description: a.info?.description ?? '',
      isFallbackAdapter: a.info?.isFallbackAdapter ?? a.isFallbackAdapter ?? false,
    });
    deps.install(gpu, globals);
    logger.debug(`WebGPU in Node: Dawn adapter ${adapter.vendor}/${adapter.architecture} (${adapter.description})${adapter.isFallbackAdapter ? ', a software fallback' : ''}`);
    return true;
  };
  const run = (opts: NodeWebGPUOptions = {}): Promise<true | string> => {
    if (deps.hasGpu()) return Promise.resolve(true);
    // Dawn is set up at most once per process: a second instance would not find a better adapter.
    outcome ??= setup(opts);
    return outcome;
  };
  Object.defineProperty(run, 'adapter', { get: () => adapter });
  return run;
}

const nodeWebGPU = makeNodeWebGPU(realDeps);

/**
 * Makes WebGPU available to tfjs in this Node process with the npm `webgpu` package (Dawn): loads
 * it, waits for an adapter and a device (at most `timeoutMs` each), then installs `navigator.gpu`
 * and the WebGPU constants as globals. Does nothing when `navigator.gpu` exists already. The
 * outcome of the first call is kept for the life of the process.
 *
 * `useBackend('webgpu')` calls it for you. Call it yourself when your app imports
 * `@tensorflow/tfjs-backend-webgpu` itself: that package registers its backend only if
 * `navigator.gpu` exists when it is first imported.
 *
 * The Vulkan loader reads `VK_ICD_FILENAMES` when Dawn creates its instance, and the dynamic
 * linker reads `LD_LIBRARY_PATH` when the process starts: set both in the environment before Node
 * starts (see the README, 'WebGPU in Node').
 *
 * ```ts
 * const ok = await setupNodeWebGPU();          // true, or why not
 * if (ok === true) await import('@tensorflow/tfjs-backend-webgpu');
 * ```
 *
 * @returns `true`, or the reason no WebGPU adapter is available (never hangs)
 */
export function setupNodeWebGPU(opts?: NodeWebGPUOptions): Promise<true | string> {
  return nodeWebGPU(opts);
}

/** The adapter {@link setupNodeWebGPU} found, once it succeeded (undefined otherwise). */
export function nodeWebGPUAdapter(): NodeWebGPUAdapter | undefined {
  return (nodeWebGPU as unknown as { adapter?: NodeWebGPUAdapter }).adapter;
}

/** True when `SOMKIT_WEBGPU` asks `auto` to try Dawn (`1`, `true`, `yes`, `on`). */
export function webgpuRequestedByEnv(env: Readonly<Record<string, string | undefined>> = realDeps.env()): boolean {
  return /^(1|true|yes|on)$/i.test((env['SOMKIT_WEBGPU'] ?? '').trim());
}
