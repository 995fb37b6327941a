/** The tfjs backends somkit knows how to load, by their tfjs registry name. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu' | 'tensorflow';

/** What {@link useBackend} may be asked for: one backend, or `'auto'` for the first that works. */
export type BackendPreference = 'auto' | BackendName;

/** Where a call to {@link useBackend} ran: which entry (and so which `auto` order) was used. */
export type RuntimeName = 'node' | 'browser';

/** A backend that was tried and not used, with the human-readable reason. */
export interface BackendRefusal {
  readonly backend: string;
  readonly reason: string;
}

/**
 * Whether a GPU backend would run on real hardware here, judged before it is loaded (browser
 * `auto`): `'software'` for a WebGPU fallback adapter or a software WebGL renderer (SwiftShader,
 * llvmpipe), `'unknown'` when the browser hides the adapter or renderer.
 */
export interface BackendJudgement {
  readonly kind: 'hardware' | 'software' | 'unknown';
  /** What the judgement rests on, e.g. `'WebGPU fallback adapter (google swiftshader)'`. */
  readonly detail: string;
}

/** One backend's time in `auto`'s probe (a few tiny SOM steps: matmul + argmin). */
export interface BackendTiming {
  readonly backend: string;
  /** Median milliseconds per probe step (after one warm-up step); `Infinity` when the probe failed. */
  readonly msPerStep: number;
}

/** What {@link useBackend} chose. */
export interface BackendChoice {
  /** The active tfjs backend after the call (`tf.getBackend()`). */
  readonly backend: string;
  /** What was asked for (`'auto'` or a backend name). */
  readonly requested: string;
  /**
   * Backends tried and not used, in `auto` order, each with the reason: failed to load or
   * initialise, a software GPU passed over, or slower in the timed probe.
   */
  readonly refused: BackendRefusal[];
  readonly runtime: RuntimeName;
  /**
   * Why `backend` was chosen, in one sentence. Set by the browser entry's `auto` (which judges
   * GPUs and may time candidates); absent where `auto` simply takes the first that works (Node).
   */
  readonly why?: string;
  /** The probe's timings, fastest first, when `auto` picked by measurement. */
  readonly timings?: readonly BackendTiming[];
}

/** Options of {@link useBackend}. */
export interface UseBackendOptions {
  /**
   * Where the wasm backend loads its `.wasm` binaries from (a URL prefix ending in `/`), passed to
   * `setWasmPaths`. Not needed in Node (the package finds its files next to itself); in browsers
   * point it at a CDN or at the files your bundler copies. Applies only before wasm's first
   * initialisation.
   */
  readonly wasmPaths?: string;
  /**
   * Threads for the wasm backend (`setThreadsCount`), applied before its first initialisation.
   * Browsers need cross-origin isolation for threads; in Node tfjs runs wasm single-threaded.
   */
  readonly threads?: number;
  /**
   * Node only: lets `useBackend('auto')` set up WebGPU with the npm `webgpu` package (Dawn) when
   * no `navigator.gpu` exists yet. Off by default (Dawn is a 20 MB native addon, and without a GPU
   * its software adapter is slower than wasm); the environment variable `SOMKIT_WEBGPU=1` does the
   * same. An explicit `useBackend('webgpu')` always tries it. Browsers ignore this option.
   */
  readonly webgpu?: boolean;
  /**
   * Node only: how long to wait for Dawn's adapter and device before refusing webgpu, in ms.
   * Default 10 000.
   */
  readonly webgpuTimeoutMs?: number;
}

/** Every backend name {@link useBackend} accepts, `'auto'` included. */
export const BACKEND_PREFERENCES: readonly BackendPreference[] = Object.freeze([
  'auto',
  'webgpu',
  'webgl',
  'wasm',
  'cpu',
  'tensorflow',
] as const);
