import { SomError, type AbortSignalLike } from '@somkit/plugin-api';

/** When a training loop gives the event loop a turn (tfjs-layers semantics). */
export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

declare function setTimeout(f: () => void, ms: number): unknown;

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    const g = globalThis as { setImmediate?: (f: () => void) => void };
    if (typeof g.setImmediate === 'function') g.setImmediate(resolve);
    else setTimeout(resolve, 0);
  });

/** Milliseconds from a monotonic clock where there is one. */
export function now(): number {
  return (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();
}

/** Checks a `yieldEvery` setting. @throws SomError ERR_INVALID_CONFIG */
export function checkYieldEvery(ye: unknown): YieldEvery {
  if (ye === 'auto' || ye === 'batch' || ye === 'epoch' || ye === 'never' || (typeof ye === 'number' && ye >= 0)) return ye;
  throw new SomError('ERR_INVALID_CONFIG', `yieldEvery: expected 'auto', 'batch', 'epoch', 'never' or a number of ms ≥ 0, got ${JSON.stringify(ye)}.`);
}

/**
 * Abort checks and event-loop turns of one training call: `checkAbort()` throws `ERR_ABORTED`
 * once the signal is set; `maybeYield(level)` yields when the `yieldEvery` setting says so.
 */
export class Yielder {
  private last = now();

  constructor(
    readonly every: YieldEvery,
    private readonly signal: AbortSignalLike | undefined,
    private readonly epochsDone: () => number,
  ) {}

  /** The budget of one engine call in ms (0: one step per call), from the `yieldEvery` setting. */
  get budgetMs(): number {
    return this.every === 'batch' ? 0 : typeof this.every === 'number' ? this.every : 25;
  }

  checkAbort(): void {
    if (this.signal?.aborted === true) {
      throw new SomError('ERR_ABORTED', `Training was aborted after ${this.epochsDone()} epochs; the codebook keeps its last update.`, { cause: this.signal.reason });
    }
  }

  async maybeYield(level: 'batch' | 'epoch'): Promise<void> {
    const ye = this.every;
    const t = now();
    const due = ye === 'batch' ? true : ye === 'epoch' ? level === 'epoch' : ye === 'never' ? false : ye === 'auto' ? t - this.last >= 25 : t - this.last >= ye;
    if (due) {
      await yieldToEventLoop();
      this.last = now();
    }
  }
}
