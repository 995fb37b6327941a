/**
 * Imports an optional package by name at run time.
 *
 * The specifier is a variable on purpose: bundlers then leave the import alone instead of failing
 * the build when an optional backend is not installed. In bundled browser apps, import the
 * backends you want statically (`import '@tensorflow/tfjs-backend-webgpu'`); {@link useBackend}
 * uses a backend that is already registered even when this import cannot resolve.
 *
 * @returns the module namespace
 * @throws whatever the host's `import()` throws (see {@link isNotInstalled})
 */
export async function importOptional(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

/**
 * True when `err` (from {@link importOptional}) says that `specifier` itself could not be found,
 * as opposed to a package that was found but failed while loading (a missing native library, a
 * missing dependency of its own).
 */
export function isNotInstalled(err: unknown, specifier: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  // The first line only: with NODE_PATH set (pnpm exec does), Node appends 'Did you mean to import
  // "<specifier>/dist/…"?', which must not read as a broken install.
  const message = (typeof e?.message === 'string' ? e.message : String(err)).split('\n')[0] ?? '';
  const code = typeof e?.code === 'string' ? e.code : '';
  // Node: ERR_MODULE_NOT_FOUND "Cannot find package 'x' imported from …"; vite: "Failed to load
  // url x"; browsers: "Failed to resolve module specifier "x"". Only a message that names the
  // package itself counts: a missing transitive dependency is a broken install, not a missing one.
  const looksMissing =
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /cannot find (package|module)|failed to (load|resolve|fetch)|could not resolve|does the file exist|not found/i.test(message);
  return looksMissing && message.includes(specifier) && !message.includes(`${specifier}/`);
}

/** The first line of an error's message, for refusal reasons. */
export function errorText(err: unknown): string {
  const e = err as { message?: unknown } | null;
  const text = typeof e?.message === 'string' ? e.message : String(err);
  return text.split('\n')[0]?.trim() || 'unknown error';
}
