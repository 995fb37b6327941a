import { Worker } from 'node:worker_threads';
import { SomError } from '@somkit/plugin-api';

interface Pending { resolve(v: Record<string, unknown>): void; reject(e: Error): void }

/**
 * A fixed set of worker threads, each with its own tfjs backend (`worker.mjs`), answering request
 * messages. Idle workers do not keep the process alive; {@link WorkerPool.close} stops them.
 */
export class WorkerPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly ready: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing: Promise<void> | undefined;

  constructor(size: number, backend: 'wasm' | 'cpu') {
    this.size = size;
    const url = new URL('./worker.mjs', import.meta.url);
    const starts: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const w = new Worker(url, { workerData: { backend } });
      w.unref();
      starts.push(
        new Promise<void>((resolve, reject) => {
          const onFirst = (m: { ready?: boolean }): void => {
            if (m.ready === true) {
              w.off('message', onFirst);
              resolve();
            }
          };
          w.on('message', onFirst);
          w.once('error', reject);
        }),
      );
      w.on('message', (m: { id?: number; ok?: boolean; error?: string }) => {
        if (m.id === undefined) return;
        const p = this.pending.get(m.id);
        if (p === undefined) return;
        this.pending.delete(m.id);
        if (m.ok === true) p.resolve(m as Record<string, unknown>);
        else p.reject(new SomError('ERR_BACKEND_UNSUPPORTED', `A @somkit/parallel worker failed: ${m.error ?? 'unknown error'}.`));
      });
      w.on('error', (e) => this.failAll(e));
      this.workers.push(w);
    }
    this.ready = Promise.all(starts).then(() => undefined);
    this.ready.catch(() => undefined);
  }

  /** Sends one request to worker `i`; transferables are moved, not copied. */
  async call(i: number, msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Record<string, unknown>> {
    if (this.closing !== undefined) throw new SomError('ERR_INVALID_INPUT', 'This @somkit/parallel worker pool is closed (its session was closed); open a new session with engine.open(ctx).');
    await this.ready;
    const id = this.nextId++;
    const worker = this.workers[i % this.size]!;
    // Keep the process alive while a request is in flight; idle workers never hold it open.
    if (this.pending.size === 0) for (const w of this.workers) w.ref();
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id }, transfer);
    }).finally(() => {
      if (this.pending.size === 0) for (const w of this.workers) w.unref();
    });
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(new SomError('ERR_BACKEND_UNSUPPORTED', `A @somkit/parallel worker crashed: ${e.message}.`, { cause: e }));
    this.pending.clear();
  }

  /** Stops the threads. Idempotent: later calls return the same promise. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.workers.map((w) => w.terminate())).then(() => {
      for (const p of this.pending.values()) p.reject(new SomError('ERR_INVALID_INPUT', 'The @somkit/parallel session was closed while a kernel call was in flight; wait for the call before closing.'));
      this.pending.clear();
    });
    return this.closing;
  }
}
