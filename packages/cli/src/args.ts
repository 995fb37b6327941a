import { parseArgs } from 'node:util';
import { quoteInput } from '@somkit/plugin-api';
import { CliError } from './CliError.js';

/** Flag definitions of one command: name → kind. */
export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Parses `argv` against a command's flags; unknown flags and stray arguments are errors. */
export function parseFlags<S extends FlagSpec>(command: string, argv: string[], spec: S): { [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new CliError(`somkit ${command}: unexpected argument '${positionals[0]}'. Run 'somkit ${command} --help'.`);
    return values as never;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/, '');
    throw new CliError(`somkit ${command}: ${msg}. Run 'somkit ${command} --help'.`);
  }
}

/** A required string flag. */
export function required(command: string, values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.length === 0) throw new CliError(`somkit ${command}: --${name} is required. Run 'somkit ${command} --help'.`);
  return v;
}

/** An integer flag within bounds. */
export function intFlag(command: string, values: Record<string, unknown>, name: string, def: number | undefined, min = 1): number | undefined {
  const v = values[name];
  if (v === undefined) return def;
  const n = Number(v);
  if (typeof v !== 'string' || !/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new CliError(`somkit ${command}: --${name} expects an integer ≥ ${min}, got ${quoteInput(String(v))}.`);
  }
  return n;
}

/** A positive number flag. */
export function numberFlag(command: string, values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new CliError(`somkit ${command}: --${name} expects a number > 0, got ${quoteInput(String(v))}.`);
  }
  return n;
}

/** A flag restricted to a set of words. */
export function choiceFlag<T extends string>(command: string, values: Record<string, unknown>, name: string, choices: readonly T[]): T | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !choices.includes(v as T)) {
    throw new CliError(`somkit ${command}: --${name} expects one of ${choices.join(', ')}, got ${quoteInput(String(v))}.`);
  }
  return v as T;
}
