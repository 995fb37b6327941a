import { isSomError, registry, SomError, type PluginKind } from '@somkit/plugin-api';
import { DEFAULT_FACTORIES } from './config.js';
import { modelFromJSON } from './modelFromJSON.js';

/** The plugin slots of a saved config and the kind of plugin each names. */
const SLOTS: ReadonlyArray<readonly [string, PluginKind]> = [
  ['distance', 'distance'],
  ['neighborhood', 'neighborhood'],
  ['lrDecay', 'schedule'],
  ['sigmaDecay', 'schedule'],
  ['search', 'search'],
];

/** Plugin names core resolves without the registry (its defaults, the config resolver's own list). */
const CORE_DEFAULTS: readonly string[] = DEFAULT_FACTORIES.map((f) => f().name);

/**
 * {@link modelFromJSON} for a file written anywhere (the CLI, another app): first-party plugin
 * names the file holds (`'cosine'`, `'bubble'`, `'sig_linear_decay_to_one'`, …) that nobody has
 * registered are registered here, by importing `@somkit/kernels/register` (or
 * `@somkit/search/register`) on demand, so a script (Node, Deno, Bun) that imports only
 * `@somkit/core` loads any file the CLI wrote.
 *
 * The name is imported at run time, out of bundlers' sight: a bundler would otherwise split the
 * shared tfjs ops into more chunks and move the kernels' ops into the page's first download
 * (+0.5 kB gzip for every app, measured). So in a bundled page the import fails (a bare name
 * without an import map) and the `ERR_UNKNOWN_PLUGIN` error says to `import
 * '@somkit/kernels/register'`, as before.
 *
 * Third-party names (`'<package>/<id>'`, e.g. `'somkit-distance-hamming/hamming'`) are not
 * imported: the app imports that package's `./register` or passes the plugin, and the
 * `ERR_UNKNOWN_PLUGIN` error names the package.
 *
 * @param json - the model file: a JSON string or the parsed object (untrusted)
 * @param plugins - plugin objects or factories tried before the registry
 * @returns the SOM options, the codebook (`Float32Array` of `[units, dims]`) and the history
 * @throws SomError ERR_MODEL_FORMAT naming the bad field, or ERR_UNKNOWN_PLUGIN naming the package
 */
export async function readModelFile(json: unknown, plugins?: readonly unknown[]): Promise<ReturnType<typeof modelFromJSON>> {
  let file = json;
  if (typeof json === 'string') {
    try {
      file = JSON.parse(json) as unknown;
    } catch {
      return modelFromJSON(json, plugins); // the checker's ERR_MODEL_FORMAT for text that is not JSON
    }
  }
  const config = (file as { config?: unknown } | null)?.config as Record<string, unknown> | undefined;
  let kernels = false;
  let search = false;
  for (const [slot, kind] of SLOTS) {
    const v = typeof config === 'object' && config !== null ? config[slot] : undefined;
    const name = typeof v === 'string' ? v : (v as { name?: unknown } | null)?.name;
    // A name without '<package>/' is first-party; the checker below refuses anything that is not a name.
    if (typeof name !== 'string' || name.includes('/') || name === 'auto' || registry.has(kind, name)) continue;
    // Core resolves its defaults without the registry (and 'brute-force' without options).
    if (kind === 'search' ? name === 'brute-force' && (v as { options?: unknown }).options === undefined : CORE_DEFAULTS.includes(name)) continue;
    if (kind === 'search') search = true;
    else kernels = true;
  }
  if (kernels) await register('@somkit/kernels/register');
  if (search) await register('@somkit/search/register');
  try {
    return modelFromJSON(file, plugins);
  } catch (e) {
    // The config checker keeps the field in `details`; the registry's own error beneath it names
    // the package (`details.package`): keep both, here rather than in the eagerly loaded checker.
    const cause = (e as { cause?: unknown }).cause;
    if (isSomError(e, 'ERR_UNKNOWN_PLUGIN') && isSomError(cause) && cause.details !== undefined) {
      throw new SomError(e.code, e.message, { cause, details: { ...cause.details, ...e.details } });
    }
    throw e;
  }
}

/** Imports a `./register` entry by name at run time; a bundled page cannot resolve it (see above). */
async function register(entry: string): Promise<void> {
  try {
    await import(/* @vite-ignore */ /* webpackIgnore: true */ entry);
  } catch {
    // Unresolvable here (a browser bundle): the checker's ERR_UNKNOWN_PLUGIN names what to import.
  }
}
