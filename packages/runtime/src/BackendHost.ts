import type { BackendJudgement, BackendName, BackendPreference, RuntimeName, UseBackendOptions } from './types.js';

/** How to load one backend in one runtime. */
export interface BackendProbe {
  /** Packages that register the backend when imported, tried in order; the first that loads wins. */
  readonly packages: readonly string[];
  /** The install advice appended to "not installed" reasons, e.g. `npm i @tensorflow/tfjs-backend-wasm`. */
  readonly install: string;
  /**
   * Checked before any import: `true`, or why the backend cannot work in this process. May be
   * async (e.g. to set up WebGPU in Node); gets the options and what was requested.
   */
  readonly precheck?: (opts: UseBackendOptions, requested: BackendPreference) => true | string | Promise<true | string>;
  /** Applies options to the loaded package before the backend initialises (wasm paths, threads). */
  readonly configure?: (module: unknown, opts: UseBackendOptions) => void;
  /**
   * `auto` only, before any import: whether this (GPU) backend runs on real hardware here. A
   * `'software'` one is tried only after every other candidate failed; an `'unknown'` one is timed
   * against the next candidate when the host has `timeStep`. Backends without it (wasm, cpu) are
   * taken as they are.
   */
  readonly judge?: () => BackendJudgement | Promise<BackendJudgement>;
}

/** The seams between the selection logic and tfjs / `import()`; tests replace them. */
export interface BackendDeps {
  importModule(specifier: string): Promise<unknown>;
  isRegistered(name: string): boolean;
  /** Makes `name` active: `true` or the reason it failed. */
  activate(name: string): Promise<true | string>;
  /** The active backend name, without initialising one. */
  current(): string | undefined;
  /** Re-activates `name` after a failed attempt (no-op for undefined). */
  restore(name: string | undefined): Promise<void>;
}

/** One runtime's table: the `auto` order and how to load each backend. */
export interface BackendHost {
  readonly runtime: RuntimeName;
  /** Candidates, in `auto` preference order. */
  readonly order: readonly BackendName[];
  readonly probes: Readonly<Partial<Record<BackendName, BackendProbe>>>;
  /** Why backends outside `order` cannot be used in this runtime (e.g. webgl in Node). */
  readonly unsupported?: Readonly<Partial<Record<BackendName, string>>>;
  /**
   * Times a few SOM steps on the active backend (ms per step). With it, `auto` picks among
   * candidates it is unsure of by measurement; without it, it takes the first that works.
   */
  readonly timeStep?: () => Promise<number>;
  readonly deps?: Partial<BackendDeps>;
}
