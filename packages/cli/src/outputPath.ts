import { constants } from 'node:fs';
import { access, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SomError } from '@somkit/plugin-api';
import { fsErrorCode, fsReason, makeDirs } from '@somkit/plugin-api/node';
import type { Io } from './Io.js';

export { fsErrorCode, fsReason };

async function statOrUndefined(path: string): Promise<Awaited<ReturnType<typeof stat>> | undefined> {
  try {
    return await stat(path);
  } catch (e) {
    if (fsErrorCode(e) === 'ENOENT' || fsErrorCode(e) === 'ENOTDIR') return undefined;
    throw new SomError('ERR_IO', `Cannot use ${path}: ${fsReason(e)}.`, { cause: e });
  }
}

/** The nearest existing ancestor of `path` must be a writable directory (mkdir -p can then create the rest). */
async function checkParents(flag: string, path: string): Promise<void> {
  let dir = dirname(path);
  for (;;) {
    const s = await statOrUndefined(dir);
    if (s !== undefined) {
      if (!s.isDirectory()) throw new SomError('ERR_IO', `${flag} ${path}: ${dir} is a file, not a directory. Choose a path under a directory.`, { details: { path } });
      try {
        await access(dir, constants.W_OK);
      } catch (e) {
        throw new SomError('ERR_IO', `${flag} ${path}: cannot write in ${dir}: ${fsReason(e)}. Choose a writable location.`, { cause: e, details: { path } });
      }
      return;
    }
    const up = dirname(dir);
    if (up === dir) return;
    dir = up;
  }
}

/**
 * Checks, before any work, that `path` can be written as a file: not a directory, no parent that
 * is a file, a writable location, and not one of the `inputs` (`train --data x.csv --out x.csv`
 * would overwrite the data). Paths are resolved against the working directory and through
 * symlinks when they exist.
 * @returns the absolute path
 * @throws SomError ERR_IO (cannot be written), ERR_INVALID_INPUT (an input file)
 */
export async function checkOutFile(io: Io, flag: string, path: string, inputs: readonly string[] = []): Promise<string> {
  const full = resolve(io.cwd, path);
  const s = await statOrUndefined(full);
  if (s?.isDirectory() === true) throw new SomError('ERR_IO', `${flag} ${full}: it is a directory; expected a file path (e.g. ${resolve(full, 'model.json')}).`, { details: { path: full } });
  if (s !== undefined) {
    try {
      await access(full, constants.W_OK);
    } catch (e) {
      throw new SomError('ERR_IO', `${flag} ${full}: cannot write it: ${fsReason(e)}. Choose a writable location.`, { cause: e, details: { path: full } });
    }
    const real = await realpath(full).catch(() => full);
    for (const input of inputs) {
      const inReal = await realpath(resolve(io.cwd, input)).catch(() => resolve(io.cwd, input));
      if (inReal === real) throw new SomError('ERR_INVALID_INPUT', `${flag} ${full} is an input of this command (${input}); writing it would overwrite that file. Choose another output path.`, { details: { path: full } });
    }
  } else await checkParents(flag, full);
  return full;
}

/**
 * Checks, before any work, that `path` can be used as an output directory: a directory or
 * nothing yet, under a writable directory (no parent that is a file).
 * @returns the absolute path
 * @throws SomError ERR_IO
 */
export async function checkOutDir(io: Io, flag: string, path: string): Promise<string> {
  const full = resolve(io.cwd, path);
  const s = await statOrUndefined(full);
  if (s !== undefined && !s.isDirectory()) throw new SomError('ERR_IO', `${flag} ${full}: it is a file; expected a directory (it is created when missing).`, { details: { path: full } });
  if (s !== undefined) {
    try {
      await access(full, constants.W_OK);
    } catch (e) {
      throw new SomError('ERR_IO', `${flag} ${full}: cannot write in it: ${fsReason(e)}. Choose a writable location.`, { cause: e, details: { path: full } });
    }
  } else await checkParents(flag, full);
  return full;
}

/**
 * Writes a file (creating its directory), turning a failure (`ENOSPC` on `/dev/full`, a parent
 * that became a file) into one coded line.
 * @throws SomError ERR_IO
 */
export async function writeOutput(path: string, content: string | Uint8Array): Promise<void> {
  try {
    await makeDirs(dirname(path));
    await writeFile(path, content);
  } catch (e) {
    throw new SomError('ERR_IO', `Cannot write ${path}: ${fsReason(fsCause(e))}.`, { cause: e, details: { path } });
  }
}

/**
 * Creates an output directory.
 * @throws SomError ERR_IO
 */
export async function makeOutDir(path: string): Promise<void> {
  try {
    await makeDirs(path);
  } catch (e) {
    throw new SomError('ERR_IO', `Cannot create the directory ${path}: ${fsReason(fsCause(e))}.`, { cause: e, details: { path } });
  }
}

/** The file-system error under `makeDirs`' ERR_IO (so the one-line message keeps `CODE (meaning)`). */
function fsCause(e: unknown): unknown {
  return e instanceof SomError && e.cause !== undefined ? e.cause : e;
}

/** `mkdir -p` one level at a time (Node 20's recursive mkdir spins on `/proc/x`): the shared copy. */
export { makeDirs };
