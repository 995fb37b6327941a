import { SomError } from './SomError.js';
import { logger } from './logger.js';
import { isJson, type Json } from './Json.js';
import { API_VERSION, SUPPORTED_API_VERSIONS, type AnyPlugin, type PluginKind, type PluginKinds, type PluginSpec } from './types.js';

/** A factory that makes a plugin from JSON options. */
export type PluginFactory<K extends PluginKind> = (options?: any) => PluginKinds[K];

interface Entry { factory: PluginFactory<PluginKind>; source: string | undefined }

interface RegistryState { byKind: Map<PluginKind, Map<string, Entry>> }

const KEY = Symbol.for('somkit.registry@1');

function state(): RegistryState {
  const g = globalThis as unknown as Record<symbol, RegistryState | undefined>;
  let s = g[KEY];
  if (s === undefined) {
    s = { byKind: new Map() };
    g[KEY] = s;
  }
  return s;
}

/** Which `./register` entry provides the first-party names of each kind. */
const REGISTER_HINT: Record<PluginKind, string> = {
  distance: "@somkit/kernels/register",
  neighborhood: "@somkit/kernels/register",
  schedule: "@somkit/kernels/register",
  search: "@somkit/search/register",
  engine: "@somkit/engine-onnxruntime/register' (or the './register' of another engine package",
  clustering: "@somkit/clustering/register",
  renderer: "@somkit/viz/register",
};

/** npm package names: lower case, optionally scoped (`@scope/name`). */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/**
 * The npm package a third-party plugin name points at. Third-party plugins are named
 * `<package>/<id>` (`somkit-distance-hamming/hamming`, `@acme/somkit-hamming/hamming`), so an
 * unknown name can say which `./register` to import. `undefined` when the name has no such prefix.
 */
function providerPackage(name: string): string | undefined {
  const i = name.lastIndexOf('/');
  if (i <= 0) return undefined;
  const pkg = name.slice(0, i);
  // '@acme/hamming' names a scope, not a package.
  if (pkg.startsWith('@') && !pkg.includes('/')) return undefined;
  return PACKAGE_NAME.test(pkg) ? pkg : undefined;
}

const KINDS: readonly PluginKind[] = ['distance', 'neighborhood', 'schedule', 'search', 'engine', 'clustering', 'renderer'];

/**
 * Checks that `p` is a plugin object of kind `kind` with a supported `apiVersion`.
 * @throws SomError `ERR_UNKNOWN_PLUGIN` or `ERR_API_VERSION`
 */
export function assertPlugin<K extends PluginKind>(kind: K, p: unknown, where: string = kind): asserts p is PluginKinds[K] {
  if (typeof p !== 'object' || p === null) {
    throw new SomError('ERR_UNKNOWN_PLUGIN', `Expected ${where} to be a ${kind} plugin object or a registered name, got ${describe(p)}.`);
  }
  const o = p as Partial<AnyPlugin>;
  if (o.kind !== kind) {
    throw new SomError('ERR_UNKNOWN_PLUGIN', `Expected ${where} to be a plugin of kind '${kind}', got kind '${String(o.kind)}' (name '${String(o.name)}').`);
  }
  if (!SUPPORTED_API_VERSIONS.includes(o.apiVersion as number) || (kind === 'engine' && o.apiVersion !== API_VERSION)) {
    throw new SomError('ERR_API_VERSION', `Plugin '${String(o.name)}' declares apiVersion ${String(o.apiVersion)}; this somkit understands apiVersion ${kind === 'engine' ? API_VERSION : SUPPORTED_API_VERSIONS.join(' and ')}${kind === 'engine' ? ' for engines' : ''}. Upgrade the plugin or somkit so they match.`);
  }
  if (typeof o.name !== 'string' || o.name.length === 0) {
    throw new SomError('ERR_UNKNOWN_PLUGIN', `Plugin of kind '${kind}' has no name; plugins must carry a non-empty 'name'.`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return `${typeof v} ${String(v)}`;
}

/**
 * The plugin registry: `(kind, name) → factory`. It lives on
 * `globalThis[Symbol.for('somkit.registry@1')]`, so duplicate copies of this package share it.
 *
 * ```ts
 * registry.register('distance', 'acme/hamming', hamming);
 * const d = registry.resolve('distance', 'acme/hamming');
 * ```
 */
export const registry = {
  /**
   * Registers a factory. Registering the same factory again is a no-op; a different factory
   * under a taken name is ignored with one warning unless `override` is set.
   */
  register<K extends PluginKind>(kind: K, name: string, factory: PluginFactory<K>, opts?: { override?: boolean; source?: string }): void {
    if (!KINDS.includes(kind)) throw new SomError('ERR_UNKNOWN_PLUGIN', `Unknown plugin kind '${String(kind)}'; expected one of ${KINDS.join(', ')}.`);
    if (typeof name !== 'string' || name.length === 0) throw new SomError('ERR_INVALID_CONFIG', `Plugin names must be non-empty strings, got ${describe(name)}.`);
    if (typeof factory !== 'function') throw new SomError('ERR_INVALID_CONFIG', `registry.register('${kind}', '${name}', …) needs a factory function, got ${describe(factory)}.`);
    const s = state();
    let m = s.byKind.get(kind);
    if (m === undefined) {
      m = new Map();
      s.byKind.set(kind, m);
    }
    const prev = m.get(name);
    if (prev !== undefined && prev.factory !== factory && opts?.override !== true) {
      logger.warnOnce(`registry:${kind}:${name}`, `A different ${kind} plugin is already registered as '${name}'; keeping the first. Pass {override: true} to replace it.`);
      return;
    }
    m.set(name, { factory: factory as PluginFactory<PluginKind>, source: opts?.source });
  },

  /** Removes a registration (mainly for tests). */
  unregister(kind: PluginKind, name: string): boolean {
    return state().byKind.get(kind)?.delete(name) ?? false;
  },

  /** True when `name` is registered for `kind`. */
  has(kind: PluginKind, name: string): boolean {
    return state().byKind.get(kind)?.has(name) ?? false;
  },

  /** Registered names of a kind, sorted. */
  list(kind: PluginKind): readonly string[] {
    return [...(state().byKind.get(kind)?.keys() ?? [])].sort();
  },

  /**
   * Turns a plugin object, a registered name, or `{name, options}` into a plugin object.
   * @param extra - plugin objects or factories tried before the registry (e.g. from `fromJSON`)
   * @throws SomError `ERR_UNKNOWN_PLUGIN` listing the registered names
   */
  resolve<K extends PluginKind>(kind: K, ref: PluginKinds[K] | string | PluginSpec, options?: Json, extra?: readonly unknown[]): PluginKinds[K] {
    if (typeof ref === 'object' && ref !== null && 'kind' in ref) {
      assertPlugin(kind, ref);
      return ref;
    }
    let name: string;
    let opts: Json | undefined = options;
    if (typeof ref === 'string') name = ref;
    else if (typeof ref === 'object' && ref !== null && typeof (ref as PluginSpec).name === 'string') {
      name = (ref as PluginSpec).name;
      opts = (ref as PluginSpec).options ?? options;
    } else {
      throw new SomError('ERR_UNKNOWN_PLUGIN', `Expected a ${kind} plugin object, a registered ${kind} name, or {name, options}; got ${describe(ref)}.`);
    }
    if (opts !== undefined && !isJson(opts)) {
      throw new SomError('ERR_INVALID_CONFIG', `Options for ${kind} '${name}' must be JSON-serializable (finite numbers, strings, booleans, arrays, plain objects).`);
    }
    for (const e of extra ?? []) {
      const made = fromExtra(kind, name, e, opts);
      if (made !== undefined) return made;
    }
    const entry = state().byKind.get(kind)?.get(name);
    if (entry === undefined) {
      const known = registry.list(kind);
      const pkg = providerPackage(name);
      const hint = pkg !== undefined
        ? `import '${pkg}/register' (a name '<package>/<id>' comes from the npm package <package>; install it if needed), or pass the plugin object`
        : name.includes('/')
          ? `import the './register' entry of the package that provides '${name}', or pass the plugin object`
          : `import '${REGISTER_HINT[kind]}' (or the 'somkit' umbrella) to register the built-in ${kind} plugins, or pass the plugin object`;
      throw new SomError('ERR_UNKNOWN_PLUGIN', `Unknown ${kind} '${name}'. Registered: ${known.length > 0 ? known.join(', ') : '(none)'}. To fix: ${hint}.`, { details: { kind, name, known, ...(pkg !== undefined ? { package: pkg } : {}) } });
    }
    const made = opts === undefined ? entry.factory() : entry.factory(opts);
    assertPlugin(kind, made, `${kind} '${name}'`);
    return made as PluginKinds[K];
  },
};

function fromExtra<K extends PluginKind>(kind: K, name: string, e: unknown, opts: Json | undefined): PluginKinds[K] | undefined {
  if (typeof e === 'function') {
    // A factory: call it and keep the result when its kind and name match.
    let made: unknown;
    try {
      made = opts === undefined ? (e as () => unknown)() : (e as (o: Json) => unknown)(opts);
    } catch {
      return undefined;
    }
    const p = made as Partial<AnyPlugin> | null;
    if (p !== null && typeof p === 'object' && p.kind === kind && p.name === name) {
      assertPlugin(kind, p);
      return p as PluginKinds[K];
    }
    return undefined;
  }
  const p = e as Partial<AnyPlugin> | null;
  if (p !== null && typeof p === 'object' && p.kind === kind && p.name === name) {
    assertPlugin(kind, p);
    return p as PluginKinds[K];
  }
  return undefined;
}

/** The `{name, options}` spec that names a plugin in configs and model files. */
export function pluginSpec(p: AnyPlugin): PluginSpec {
  return p.options === undefined ? { name: p.name } : { name: p.name, options: p.options as Json };
}
