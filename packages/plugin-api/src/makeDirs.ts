import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SomError } from './SomError.js';
import { fsErrorCode, fsReason } from './fsReason.js';

/** Whether `path` exists (ENOENT / ENOTDIR: no); another stat failure is an ERR_IO. */
async function exists(path: string, dir: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    const code = fsErrorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw new SomError('ERR_IO', `Cannot create the directory ${dir}: cannot use ${path}: ${fsReason(e)}. Choose a location you can read.`, { cause: e, details: { path: dir, code } });
  }
}

/**
 * `mkdir -p`, one level at a time: use it instead of `mkdir(dir, { recursive: true })`.
 * Node 20's recursive mkdir spins forever where a parent refuses children with ENOENT
 * (`/proc/x/y` as root); a plain mkdir per missing level fails at once with the code instead.
 * An existing directory is fine (nothing happens).
 *
 * ```ts
 * import { makeDirs } from '@somkit/plugin-api/node';
 * await makeDirs('out/figures');
 * ```
 * @throws SomError ERR_IO (details: `path`, `code`: the errno code) when a level cannot be created
 */
export async function makeDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; !(await exists(d, dir)); ) {
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d);
    } catch (e) {
      const code = fsErrorCode(e);
      if (code === 'EEXIST') continue;
      const at = d === dir ? '' : ` (at ${d})`;
      throw new SomError('ERR_IO', `Cannot create the directory ${dir}${at}: ${fsReason(e)}. Choose a writable location.`, { cause: e, details: { path: dir, code } });
    }
  }
}
