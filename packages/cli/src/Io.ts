/** How much the CLI says on stderr: `--quiet`, the default, or `--verbose`. */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** Where the CLI writes; injectable so commands run in-process in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is an interactive terminal (progress bars only then). */
  readonly isTTY: boolean;
  readonly cwd: string;
  /** From `--quiet` / `--verbose` (set by `main`); absent means `'normal'`. */
  readonly verbosity?: Verbosity;
}

/** The process's own streams. */
export function processIo(): Io {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    isTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
  };
}

/** Collects output in memory (tests). */
export function memoryIo(cwd = process.cwd()): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t), isTTY: false, cwd };
}
