import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { readDataFile } from '@somkit/datasets/node';
import type { DataFile } from '@somkit/datasets';
import { useBackend, type BackendChoice } from '@somkit/runtime';
import { SOM } from '@somkit/core';
import { SomError } from '@somkit/plugin-api';
import { CliError } from './CliError.js';
import type { Io } from './Io.js';

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
