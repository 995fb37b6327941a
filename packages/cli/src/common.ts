import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { readDataFile } from '@somkit/datasets/node';
import type { DataFile } from '@somkit/datasets';
import { useBackend, type BackendChoice } from '@somkit/runtime';
import { SOM } from '@somkit/core';
import { SomError, type SearchRef } from '@somkit/plugin-api';
import { CliError } from './CliError.js';
import type { Io } from './Io.js';

/** An optional engine the CLI registers when its package is installed. */
export interface EngineStatus {
  /** The search backend name it registers. */
  readonly search: string;
  /** Its register entry. */
  readonly module: string;
  readonly loaded: boolean;
  /** Why it could not be imported, when `loaded` is false. */
  readonly reason?: string;
}

let engines: Promise<readonly EngineStatus[]> | undefined;

/**
 * Registers the optional native engines that are installed (guarded dynamic imports of their
 * `./register` entries), once per process, so `search: 'auto'` can pick them and model files that
 * name them load. Call before constructing or loading a SOM. Never throws: a missing engine is
 * reported in its status, and `auto` then uses the tfjs brute force.
 */
export function loadEngines(): Promise<readonly EngineStatus[]> {
  engines ??= (async () => {
    const out: EngineStatus[] = [];
    // Optional engines, each registered when its package is installed.
    const candidates: Array<[string, string, () => Promise<unknown>]> = [
      ['onnxruntime', '@somkit/engine-onnxruntime/register', () => import('@somkit/engine-onnxruntime/register')],
      ['parallel', '@somkit/parallel/register', () => import('@somkit/parallel/register')],
      ['usearch', '@somkit/search-usearch/register', () => import('@somkit/search-usearch/register')],
    ];
    for (const [search, module, load] of candidates) {
      try {
        await load();
        out.push({ search, module, loaded: true });
      } catch (e) {
        const reason = String((e as { message?: unknown } | null)?.message ?? e).split('\n')[0] ?? '';
        out.push({ search, module, loaded: false, reason });
      }
    }
    return out;
  })();
  return engines;
}

/**
 * The SOM `search` option for `--search NAME`, after registering the installed engines:
 * `undefined` (= 'auto') when not given; `brute-force` keeps the tfjs search even where an engine
 * would be picked; an engine name forces it (its `supports()` reason fails the run if it cannot
 * run here), and an engine whose package could not be imported fails now, saying why.
 */
export async function searchOption(command: string, name: string | undefined): Promise<SearchRef | undefined> {
  const statuses = await loadEngines();
  if (name === undefined || name === 'auto') return undefined;
  if (name.trim() === '') throw new CliError(`somkit ${command}: --search expects a search backend name (auto, brute-force, onnxruntime, usearch, parallel), got ''.`);
  const engine = statuses.find((e) => e.search === name);
  if (engine !== undefined && !engine.loaded) {
    throw new SomError('ERR_BACKEND_UNSUPPORTED', `--search ${name}: ${engine.module} could not be imported (${engine.reason ?? 'unknown reason'}). Install it (for onnxruntime also onnxruntime-node), or use --search auto or brute-force.`);
  }
  return name;
}

/** Backends the CLI accepts for --backend. */
export const BACKENDS = ['auto', 'wasm', 'cpu', 'webgpu', 'tensorflow'] as const;

/** Activates the backend and reports the choice on stderr unless quiet. */
export async function selectBackend(command: string, name: string | undefined, io: Io, quiet: boolean): Promise<BackendChoice> {
  const pref = (name ?? 'auto') as (typeof BACKENDS)[number];
  if (!BACKENDS.includes(pref)) throw new CliError(`somkit ${command}: --backend expects one of ${BACKENDS.join(', ')}, got '${pref}'.`);
  const choice = await useBackend(pref);
  if (!quiet) {
    const refused = choice.refused.map((r) => `${r.backend} (${r.reason})`).join('; ');
    io.err(`backend: ${choice.backend}${refused ? ` — not used: ${refused}` : ''}\n`);
  }
  return choice;
}

/** Reads a .csv or .npy data file relative to the working directory. */
export function loadData(io: Io, path: string, labelColumn: string | undefined): Promise<DataFile> {
  return readDataFile(resolve(io.cwd, path), labelColumn === undefined ? {} : { labelColumn });
}

/** Reads and validates a model file. */
export async function loadModel(io: Io, path: string): Promise<SOM> {
  // A model trained with an engine names it as its search backend.
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
    model: r.model,
  };
}
