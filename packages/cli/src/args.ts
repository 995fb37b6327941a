import { quoteInput } from '@somkit/plugin-api';
import { CliError } from './CliError.js';
import { didYouMean } from './closest.js';

/** One flag of a command: its kind and, optionally, older spellings kept as aliases. */
export interface FlagDef {
  readonly type: 'string' | 'boolean';
  /** Other spellings accepted for this flag (`bench --batch` for `--batch-size`), without `--`. */
  readonly alias?: readonly string[];
}

/** Flag definitions of one command: name (without `--`) → definition. */
export type FlagSpec = Record<string, FlagDef>;

/** The flags every command takes (parsed by {@link parseFlags} whatever the command's spec says). */
export const COMMON_FLAGS = {
  verbose: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const satisfies FlagSpec;

/** Help lines of {@link COMMON_FLAGS}, appended to every command's help. */
export const COMMON_FLAGS_HELP = `
Every command also takes:
  --verbose              say more on stderr: every backend tried and why it was not used,
                         tfjs's own warnings
  --quiet                say less: no backend line, no progress; results, warnings and errors only
  --help, -h             this help
`;

type Values<S extends FlagSpec> = { [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string } & { verbose?: boolean; quiet?: boolean };

function usage(command: string, message: string): CliError {
  return new CliError(`somkit ${command}: ${message}`);
}

const helpHint = (command: string): string => ` Run 'somkit ${command} --help' for the options.`;

/**
 * Parses `argv` against a command's flags: `--name value`, `--name=value`, boolean `--name`, and
 * the aliases of {@link FlagDef}. A value may start with a dash (`--epochs -1` reaches the value
 * check, which says what it expects). Unknown flags (with a did-you-mean), a missing value and
 * stray arguments are usage errors ({@link CliError}); the last of repeated flags wins.
 */
export function parseFlags<S extends FlagSpec>(command: string, argv: readonly string[], spec: S): Values<S> {
  const all: FlagSpec = { ...COMMON_FLAGS, ...spec };
  const byName = new Map<string, string>();
  for (const [name, def] of Object.entries(all)) {
    byName.set(name, name);
    for (const a of def.alias ?? []) byName.set(a, name);
  }
  const values: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      if (i + 1 < argv.length) throw usage(command, `unexpected argument ${quoteInput(argv[i + 1])}.${helpHint(command)}`);
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      throw usage(command, `unexpected argument ${quoteInput(arg)}.${didYouMean(arg, [...byName.keys()], '--') || helpHint(command)}`);
    }
    const eq = arg.indexOf('=');
    const written = eq < 0 ? arg : arg.slice(0, eq);
    const key = written.replace(/^--?/, '');
    const name = written.startsWith('--') ? byName.get(key) : undefined;
    if (name === undefined) {
      const hint = didYouMean(key, [...byName.keys()], '--');
      throw usage(command, `Unknown option '${written}'.${hint || helpHint(command)}`);
    }
    const def = all[name]!;
    if (def.type === 'boolean') {
      if (eq >= 0) throw usage(command, `${written} is a switch and takes no value, got ${quoteInput(arg.slice(eq + 1))}. Write ${written} alone.`);
      values[name] = true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      // Another flag is not a value; '-1' or '-' is (the value check judges it).
      if (next === undefined) throw usage(command, `${written} needs a value.${helpHint(command)}`);
      if (next.startsWith('--') && next.length > 2) throw usage(command, `${written} needs a value, got the flag ${quoteInput(next)} (write ${written}=${next} for a value that starts with --).`);
      value = next;
      i++;
    }
    values[name] = value;
  }
  return values as Values<S>;
}

/** A required string flag. */
export function required(command: string, values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.length === 0) throw usage(command, `--${name} is required.${helpHint(command)}`);
  return v;
}

/** What a flag's value must be: an integer, a number, or one of some words. */
export type ValueRule =
  | { readonly kind: 'int'; readonly min: number }
  | { readonly kind: 'number'; readonly min: number; readonly inclusive: boolean }
  | { readonly kind: 'choice'; readonly choices: readonly string[] };

/**
 * The one parser of flag values (integers, numbers, words): the value of `--flag` checked against
 * `rule`, or a {@link CliError} in one style — `somkit CMD: --flag expects WHAT, got 'VALUE'.`
 * followed by a did-you-mean for words, or the help hint.
 */
export function parseValue(command: string, flag: string, raw: unknown, rule: ValueRule): number | string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  const fail = (what: string, hint: string): never => {
    throw usage(command, `--${flag} expects ${what}, got ${typeof raw === 'string' ? quoteInput(raw) : 'nothing'}.${hint || helpHint(command)}`);
  };
  if (rule.kind === 'choice') {
    if (typeof raw !== 'string' || !rule.choices.includes(raw)) fail(`one of ${rule.choices.join(', ')}`, typeof raw === 'string' ? didYouMean(raw, rule.choices) : '');
    return raw as string;
  }
  const n = Number(text);
  if (rule.kind === 'int') {
    if (!/^[-+]?\d+$/.test(text) || !Number.isSafeInteger(n) || n < rule.min) fail(`an integer ≥ ${rule.min}`, '');
    return n;
  }
  if (text === '' || !Number.isFinite(n) || (rule.inclusive ? n < rule.min : n <= rule.min)) fail(`a number ${rule.inclusive ? '≥' : '>'} ${rule.min}`, '');
  return n;
}

/** An integer flag ≥ `min` (default 1), or `def` when not given. */
export function intFlag(command: string, values: Record<string, unknown>, name: string, def: number | undefined, min = 1): number | undefined {
  const v = values[name];
  return v === undefined ? def : (parseValue(command, name, v, { kind: 'int', min }) as number);
}

/** A number flag > 0 (or ≥ `atLeast` when given), or undefined when not given. */
export function numberFlag(command: string, values: Record<string, unknown>, name: string, atLeast?: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  return parseValue(command, name, v, atLeast === undefined ? { kind: 'number', min: 0, inclusive: false } : { kind: 'number', min: atLeast, inclusive: true }) as number;
}

/** A flag restricted to a set of words, or undefined when not given. */
export function choiceFlag<T extends string>(command: string, values: Record<string, unknown>, name: string, choices: readonly T[]): T | undefined {
  const v = values[name];
  return v === undefined ? undefined : (parseValue(command, name, v, { kind: 'choice', choices }) as T);
}
