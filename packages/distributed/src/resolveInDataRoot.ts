import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UnrecoverableError } from 'bullmq';

/**
 * The real path (symlinks followed) of a shard path, checked to lie inside the worker's data
 * root. Relative paths resolve against the root. For a path that does not exist yet, its nearest
 * existing folder is resolved, so a missing file inside the root still fails later as unreadable
 * (ERR_IO, retried) while a symlinked folder that leads out of the root is refused here.
 *
 * ```ts
 * const real = await resolveInDataRoot('/data/x.npy', '/data'); // '/data/x.npy'
 * ```
 * @param root - the data root, already a real path
 * @throws UnrecoverableError `[ERR_INVALID_INPUT] …` (not retried) naming the root, for a path outside it
 */
export async function resolveInDataRoot(path: string, root: string): Promise<string> {
  const abs = resolve(root, path);
  const real = await realpathOfNearest(abs);
  const rel = relative(root, real);
  const inside = !isAbsolute(rel) && rel.split(sep)[0] !== '..';
  if (!inside) {
    throw new UnrecoverableError(
      `[ERR_INVALID_INPUT] The shard path ${JSON.stringify(path)} resolves (symlinks followed) outside this worker's data root ${JSON.stringify(root)}; it was not opened. Start the worker with --data-root (dataRoot) set to the folder holding the data, or fix the shard's path.`,
    );
  }
  return real;
}

async function realpathOfNearest(abs: string): Promise<string> {
  const rest: string[] = [];
  let dir = abs;
  for (;;) {
    try {
      return join(await realpath(dir), ...rest);
    } catch {
      const up = dirname(dir);
      if (up === dir) return abs;
      rest.unshift(basename(dir));
      dir = up;
    }
  }
}
