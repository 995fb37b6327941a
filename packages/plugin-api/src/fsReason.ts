/** `ENOSPC` → `ENOSPC (no space left on device)`: the errno code with its plain meaning. */
const MEANINGS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent of it is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'a file is in the way',
  ENOENT: 'no such file or directory',
  EDQUOT: 'disk quota exceeded',
};

/** The errno code (`ENOENT`, `EACCES`, …) of a Node file-system error, or undefined. */
export function fsErrorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** `CODE (meaning)` of a file-system error (`ENOENT (no such file or directory)`), else its message. */
export function fsReason(e: unknown): string {
  const code = fsErrorCode(e);
  if (code !== undefined) return MEANINGS[code] !== undefined ? `${code} (${MEANINGS[code]})` : code;
  return e instanceof Error ? e.message : String(e);
}
