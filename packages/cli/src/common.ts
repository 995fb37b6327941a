import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { readDataFile } from '@somkit/datasets/node';
import type { DataFile } from '@somkit/datasets';
import { useBackend, type BackendChoice } from '@somkit/runtime';
import { SOM, type InitMode } from '@somkit/core';
import { quoteInput, registry, SomError, type EngineRef, type PluginKind, type SearchRef } from '@somkit/plugin-api';
import { CliError } from './CliError.js';
import { parseValue } from './args.js';
import { didYouMean } from './closest.js';
import type { Io } from './Io.js';

/** An optional engine or search strategy the CLI registers when its package is installed. */
export interface EngineStatus {
  /** What it registers: an engine (`--engine`) or a search strategy (`--search`). */
  readonly kind: 'engine' | 'search';
  /** The name it registers. */
  readonly name: string;
  /** Its register entry. */
  readonly module: string;
  readonly loaded: boolean;
  /** Why it could not be imported, when `loaded` is false. */
  readonly reason?: string;
}

let engines: Promise<readonly EngineStatus[]> | undefined;

/**
 * Registers the optional engines and search strategies that are installed (guarded dynamic
 * imports of their `./register` entries), once per process, so `engine: 'auto'` / `search: 'auto'`
 * can pick them and model files that name a strategy load. Call before constructing or loading a
 * SOM. Never throws: a missing package is reported in its status, and `auto` then uses the tfjs
 * engine and the exact brute force.
 */
export function loadEngines(): Promise<readonly EngineStatus[]> {
  engines ??= (async () => {
    const out: EngineStatus[] = [];
    // Optional engines, each registered when its package is installed.
    const candidates: Array<['engine' | 'search', string, string, () => Promise<unknown>]> = [
      ['engine', 'onnxruntime', '@somkit/engine-onnxruntime/register', () => import('@somkit/engine-onnxruntime/register')],
      ['engine', 'parallel', '@somkit/parallel/register', () => import('@somkit/parallel/register')],
      ['search', 'usearch', '@somkit/search-usearch/register', () => import('@somkit/search-usearch/register')],
    ];
    for (const [kind, name, module, load] of candidates) {
      try {
        await load();
        out.push({ kind, name, module, loaded: true });
      } catch (e) {
        const reason = String((e as { message?: unknown } | null)?.message ?? e).split('\n')[0] ?? '';
        out.push({ kind, name, module, loaded: false, reason });
      }
    }
    return out;
  })();
  return engines;
}

/** Search strategies `--search` names. */
export const SEARCH_NAMES = ['auto', 'brute-force', 'usearch'] as const;
/** Engines `--engine` names. */
export const ENGINE_NAMES = ['auto', 'tfjs', 'onnxruntime', 'parallel'] as const;

/** The package of an optional engine or strategy that could not be imported, as a one-line error. */
async function requireLoaded(flag: string, name: string): Promise<void> {
  const status = (await loadEngines()).find((e) => e.name === name);
  if (status !== undefined && !status.loaded) {
    throw new SomError('ERR_BACKEND_UNSUPPORTED', `--${flag} ${name}: ${status.module} could not be imported (${status.reason ?? 'unknown reason'}). Install it (for onnxruntime also onnxruntime-node), or use --${flag} auto.`);
  }
}

/**
 * The SOM `search` option (the search strategy: what "best unit" means) for `--search NAME`, after
 * registering the installed packages: `undefined` (= 'auto') when not given; `brute-force` is the
 * exact tfjs search; `usearch` an approximate HNSW index. An engine name given here (the v1
 * grammar, `--search onnxruntime`) is routed to the engine with a note on stderr.
 */
export async function searchOption(command: string, name: string | undefined, io?: Io): Promise<{ search?: SearchRef; engine?: EngineRef }> {
  await loadEngines();
  if (name === undefined || name === 'auto') return {};
  if (name.trim() === '') throw new CliError(`somkit ${command}: --search expects a search strategy (${SEARCH_NAMES.join(', ')}), got ''.`);
  if ((ENGINE_NAMES as readonly string[]).includes(name) && name !== 'auto') {
    io?.err(`note: --search ${name} names an engine; use --engine ${name} (--search now names the search strategy: ${SEARCH_NAMES.join(', ')})\n`);
    const engine = await engineOption(command, name);
    return engine === undefined ? {} : { engine };
  }
  pluginName(command, 'search', 'search', name, SEARCH_NAMES);
  await requireLoaded('search', name);
  return { search: name };
}

/**
 * The SOM `engine` option (where the arithmetic runs) for `--engine NAME`: `undefined` (= 'auto':
 * the fastest measured of the engines that can run, by priority for small jobs) when not given; `tfjs`, `onnxruntime` or `parallel` force
 * one (its `supports()` reason fails the run if it cannot run here).
 */
export async function engineOption(command: string, name: string | undefined): Promise<EngineRef | undefined> {
  await loadEngines();
  if (name === undefined || name === 'auto') return undefined;
  if (name.trim() === '') throw new CliError(`somkit ${command}: --engine expects an engine (${ENGINE_NAMES.join(', ')}), got ''.`);
  pluginName(command, 'engine', 'engine', name, ENGINE_NAMES);
  await requireLoaded('engine', name);
  return name;
}

/** `--search` and `--engine` together, as SOM options. */
export async function computeOptions(command: string, v: { search?: string | undefined; engine?: string | undefined }, io?: Io): Promise<{ search?: SearchRef; engine?: EngineRef }> {
  const s = await searchOption(command, v.search, io);
  const engine = (await engineOption(command, v.engine)) ?? s.engine;
  return { ...(s.search !== undefined ? { search: s.search } : {}), ...(engine !== undefined ? { engine } : {}) };
}

/**
 * Checks a plugin name of a flag (`--distance`, `--neighborhood`, `--lr-decay`, `--search`, …)
 * against the registry (and `also`, names the command handles itself), so a typo gets a
 * did-you-mean instead of the library's "import './register'" advice, which a CLI user cannot
 * follow. A third-party name (`<package>/<id>`) that no package registered names its package.
 * @throws SomError `ERR_UNKNOWN_PLUGIN` (exit 1) with the closest registered name and the list
 */
export function pluginName(command: string, flag: string, kind: PluginKind, name: string, also: readonly string[] = []): void {
  if (registry.has(kind, name) || also.includes(name)) return;
  const known = [...new Set([...also, ...registry.list(kind)])];
  const slash = name.lastIndexOf('/');
  if (slash > 0) {
    // A third-party name '<package>/<id>': the CLI registers only first-party plugins.
    const pkg = name.slice(0, slash);
    throw new SomError('ERR_UNKNOWN_PLUGIN', `Unknown ${kind} ${quoteInput(name)}. Registered: ${known.join(', ')}. A '<package>/<id>' name comes from the npm package '${pkg}', and the somkit CLI registers only somkit's own plugins: pass one of these to --${flag}, or train from a script that imports '${pkg}/register'.`, { details: { kind, name, known, package: pkg } });
  }
  const fix = didYouMean(name, known, `--${flag} `) || ` Pass one of them to --${flag} (see 'somkit ${command} --help').`;
  throw new SomError('ERR_UNKNOWN_PLUGIN', `Unknown ${kind} ${quoteInput(name)}. Registered: ${known.join(', ')}.${fix}`, { details: { kind, name, known } });
}

/**
 * Codebook initialisations `--init` accepts: core's `InitMode`s, one list for train, bench and
 * demo (a mode core adds fails the typecheck below until it is listed here).
 */
export const INIT_MODES = ['pca', 'random', 'kmeans', 'kmeans_cosine'] as const satisfies readonly InitMode[];
/** Compile-time check that {@link INIT_MODES} lists every `InitMode`. */
const everyInitMode: Exclude<InitMode, (typeof INIT_MODES)[number]> extends never ? true : false = true;
void everyInitMode;

/** Backends the CLI accepts for --backend. */
export const BACKENDS = ['auto', 'wasm', 'cpu', 'webgpu', 'tensorflow'] as const;

/**
 * The backend line on stderr: `backend: wasm (why: …)`, one short line; with `--verbose` also a
 * line per backend tried and not used, with its reason.
 */
export function backendLine(choice: BackendChoice, verbose: boolean): string {
  const skipped = choice.refused.map((r) => r.backend);
  const why = choice.requested !== 'auto'
    ? `--backend ${choice.requested}`
    : skipped.length === 0
      ? 'auto, the first that works here'
      : `auto, the first that works here; not available: ${skipped.join(', ')}${verbose ? '' : '; --verbose says why'}`;
  const details = verbose ? choice.refused.map((r) => `  not used: ${r.backend}: ${r.reason}\n`).join('') : '';
  return `backend: ${choice.backend} (why: ${why})\n${details}`;
}

/** Activates the backend and reports the choice on stderr (not with `quiet`, e.g. under --json, nor with --quiet). */
export async function selectBackend(command: string, name: string | undefined, io: Io, quiet: boolean): Promise<BackendChoice> {
  const pref = name === undefined ? 'auto' : (parseValue(command, 'backend', name, { kind: 'choice', choices: BACKENDS }) as (typeof BACKENDS)[number]);
  const choice = await useBackend(pref);
  if (io.verbosity === 'verbose' || (!quiet && io.verbosity !== 'quiet')) io.err(backendLine(choice, io.verbosity === 'verbose'));
  return choice;
}

/** Reads a .csv or .npy data file relative to the working directory. */
export function loadData(io: Io, path: string, labelColumn: string | undefined): Promise<DataFile> {
  return readDataFile(resolve(io.cwd, path), labelColumn === undefined ? {} : { labelColumn });
}

/** Reads and validates a model file. */
export async function loadModel(io: Io, path: string): Promise<SOM> {
  // A model file may name an installed search strategy (usearch).
  await loadEngines();
  const full = resolve(io.cwd, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (e) {
    throw new SomError('ERR_IO', `Cannot read model file ${full}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Check the --model path.`, { cause: e });
  }
  return SOM.fromJSON(text);
}

/** Rounds for display without losing the JSON number type. */
export function round(v: number, digits = 6): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}

/**
 * The JSON fields of `somkit train` (a contract: fields are only ever added). Shared by the
 * single-process and the distributed trainer.
 */
export function trainResult(som: SOM, r: { qe: number; te: number; trainSeconds: number; backend: string; n: number; d: number; model: string }): Record<string, unknown> {
  const c = som.config;
  return {
    qe: round(r.qe, 8),
    te: round(r.te, 8),
    train_seconds: round(r.trainSeconds, 6),
    samples_per_second: round((r.n * c.epochs) / r.trainSeconds, 6),
    backend: r.backend,
    epochs: c.epochs,
    rule: c.rule,
    n: r.n,
    d: r.d,
    units: som.units,
    rows: c.rows,
    cols: c.cols,
    topology: c.topology,
    pbc: c.pbc,
    init: c.init,
    batch_size: c.batchSize,
    distance: c.distance.name,
    neighborhood: c.neighborhood.name,
    search: som.searchName ?? 'brute-force',
    engine: som.engineChoice?.name ?? 'tfjs',
    model: r.model,
  };
}
