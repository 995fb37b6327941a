/**
 * Loading onnxruntime-node and caching inference sessions. Internal.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';

/** The onnxruntime-node module. */
export type OrtModule = typeof Ort;
export type OrtSession = Ort.InferenceSession;
export type OrtTensor = Ort.Tensor;

let loaded: { ort: OrtModule } | { error: string } | undefined;

const firstLine = (e: unknown): string => String((e as { message?: unknown } | null)?.message ?? e).split('\n')[0] ?? '';

/**
 * onnxruntime-node, loaded synchronously once (it is CommonJS), or why it could not be loaded.
 * Synchronous so that `supports()` can answer without awaiting.
 */
export function loadOrt(): OrtModule | string {
  if (loaded === undefined) {
    try {
      const ort = createRequire(import.meta.url)('onnxruntime-node') as OrtModule;
      if (typeof ort.InferenceSession?.create !== 'function') throw new Error('the module has no InferenceSession.create');
      loaded = { ort };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      loaded = {
        error:
          code === 'MODULE_NOT_FOUND'
            ? "onnxruntime-node is not installed (add it: pnpm add onnxruntime-node, with allowBuilds: { onnxruntime-node: false })"
            : `onnxruntime-node could not be loaded: ${firstLine(e)}`,
      };
    }
  }
  return 'ort' in loaded ? loaded.ort : loaded.error;
}

/** Provider libraries onnxruntime-node does not bundle, per execution provider (Linux names). */
const PROVIDER_LIBRARIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  cuda: ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'],
  tensorrt: ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_tensorrt.so'],
});

/** Session-creation failures remembered per provider list, so supports() can report them. */
const failures = new Map<string, string>();

/**
 * Why the execution providers cannot run here, or `true`. Checks what can be told synchronously
 * (the provider is in this build; its shared libraries are present) and failures of earlier
 * session creations; a provider whose libraries are present but whose driver is missing is only
 * found out when a session is created (then remembered).
 */
export function providersUsable(providers: readonly string[]): true | string {
  const ort = loadOrt();
  if (typeof ort === 'string') return ort;
  const key = providers.join(',');
  const failed = failures.get(key);
  if (failed !== undefined) return failed;
  for (const ep of providers) {
    if (ep === 'cpu') continue;
    const list = (ort as { listSupportedBackends?: () => Array<{ name: string; bundled: boolean }> }).listSupportedBackends?.() ?? [];
    const entry = list.find((b) => b.name === ep);
    if (entry === undefined) {
      return `execution provider '${ep}' is not in this onnxruntime-node build (it has: ${list.map((b) => b.name).join(', ') || 'cpu'})`;
    }
    if (!entry.bundled) {
      const libs = PROVIDER_LIBRARIES[ep];
      const dir = bindingDir();
      if (libs !== undefined && dir !== undefined && process.platform === 'linux') {
        const missing = libs.filter((f) => !existsSync(join(dir, f)));
        if (missing.length > 0) {
          return (
            `the ${ep.toUpperCase()} execution provider libraries are not installed (${missing.join(', ')} missing in ${dir}). ` +
            `onnxruntime-node downloads them in its install script, which this install skipped; ` +
            `run 'node node_modules/onnxruntime-node/script/install --onnxruntime-node-install=cuda12' on a machine with CUDA 12, or use executionProviders: ['cpu']`
          );
        }
      }
    }
  }
  return true;
}

/** The folder holding onnxruntime-node's native binding, where provider libraries go. */
function bindingDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
    return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

/** Session settings shared by every graph of one engine. */
export interface SessionSettings {
  readonly executionProviders: readonly string[];
  readonly intraOpNumThreads: number;
  /** Whether idle intra-op threads spin for the next operator instead of sleeping. */
  readonly spinning: boolean;
}

/** Default intra-op threads: every core this process may use. */
export function defaultThreads(): number {
  return availableParallelism();
}

const sessions = new Map<string, Promise<OrtSession | string>>();

/**
 * A cached session for `graph` (built once per key) under `settings`, or why it could not be
 * created (remembered, so `supports()` refuses afterwards).
 */
export function session(key: string, graph: () => Uint8Array, settings: SessionSettings): Promise<OrtSession | string> {
  const id = `${key}|${settings.executionProviders.join(',')}|${settings.intraOpNumThreads}|${settings.spinning ? 'spin' : 'sleep'}`;
  let s = sessions.get(id);
  if (s === undefined) {
    s = create(graph(), settings);
    sessions.set(id, s);
  }
  return s;
}

async function create(bytes: Uint8Array, settings: SessionSettings): Promise<OrtSession | string> {
  const ort = loadOrt();
  if (typeof ort === 'string') return ort;
  const usable = providersUsable(settings.executionProviders);
  if (usable !== true) return usable;
  try {
    return await ort.InferenceSession.create(bytes, {
      executionProviders: [...settings.executionProviders],
      intraOpNumThreads: settings.intraOpNumThreads,
      // One graph runs at a time: no inter-op pool.
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Errors only: a missing optional provider is reported through supports(), not the console.
      logSeverityLevel: 3,
      // Session config entries session.intra_op.allow_spinning and session.set_denormal_as_zero.
      // Flushing subnormals matters: far tails of the grid kernel (e^-100 and below) are
      // subnormal floats, and a Gemm over them ran 1.5–2× slower in interleaved runs here.
      extra: { session: { set_denormal_as_zero: '1', intra_op: { allow_spinning: settings.spinning ? '1' : '0' } } },
    });
  } catch (e) {
    const reason = `creating an onnxruntime session with executionProviders [${settings.executionProviders.join(', ')}] failed: ${firstLine(e)}`;
    failures.set(settings.executionProviders.join(','), reason);
    return reason;
  }
}

/**
 * Releases every cached onnxruntime session (one per graph, shared by all engine sessions with the
 * same settings; otherwise they live as long as the process). Open engine sessions stay usable:
 * their next kernel call creates the ORT sessions it needs again. Call it when no kernel is running.
 *
 * ```ts
 * await som.fit(data);
 * som.dispose();
 * await releaseSessions(); // frees ORT's memory arenas too
 * ```
 */
export async function releaseSessions(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  failures.clear();
  for (const s of await Promise.all(all)) if (typeof s !== 'string') await s.release();
}
