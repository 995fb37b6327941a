declare function setTimeout(f: () => void, ms: number): unknown;
declare function clearTimeout(id: unknown): void;

/**
 * Resolves with `{ value }`, or with `'timeout'` when `ms` pass first; the timer is cleared either
 * way and never keeps a Node process alive. Rejects only when `p` does. For calls that may hang
 * (WebGPU's `requestAdapter`/`requestDevice` under some drivers and flag sets, a GPU probe).
 */
export function within<T>(p: Promise<T>, ms: number): Promise<{ value: T } | 'timeout'> {
  let id: unknown;
  const timer = new Promise<'timeout'>((resolve) => {
    id = setTimeout(() => resolve('timeout'), ms);
    // Do not keep the process alive just for this timer.
    (id as { unref?(): void } | undefined)?.unref?.();
  });
  return Promise.race([p.then((value) => ({ value })), timer]).finally(() => clearTimeout(id));
}
