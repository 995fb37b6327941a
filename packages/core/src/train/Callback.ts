/**
 * A training callback, as in tfjs-layers / Keras: every hook is optional and may be async (it is
 * awaited). `SOM.fit`, `SOM.fitStream`, `SOM.fitSums` (distributed training) and `A3SOM.fit` all
 * call them with the same shapes; the history of a model is itself a callback ({@link History}).
 * @typeParam L - the per-epoch logs (numbers by name)
 */
export interface Callback<L = Record<string, number>> {
  onTrainBegin?(): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  /** After each epoch; `epoch` counts from the first epoch of the model (see `initialEpoch`). */
  onEpochEnd?(epoch: number, logs: L): void | Promise<void>;
  onTrainEnd?(): void | Promise<void>;
}

/** Calls a list of callbacks in order, awaiting each. */
export class CallbackList<L> {
  private readonly list: readonly Callback<L>[];

  constructor(callbacks: readonly (Callback<L> | undefined)[]) {
    this.list = callbacks.filter((c): c is Callback<L> => c !== undefined);
  }

  async trainBegin(): Promise<void> {
    for (const c of this.list) await c.onTrainBegin?.();
  }

  async epochBegin(epoch: number): Promise<void> {
    for (const c of this.list) await c.onEpochBegin?.(epoch);
  }

  async epochEnd(epoch: number, logs: L): Promise<void> {
    for (const c of this.list) await c.onEpochEnd?.(epoch, logs);
  }

  async trainEnd(): Promise<void> {
    for (const c of this.list) await c.onTrainEnd?.();
  }
}

/**
 * Records every numeric field of each epoch's logs (but `epoch`) in arrays by name — the history
 * of tfjs-layers, as a callback. `history` is the live record; hand out {@link snapshot}s.
 */
export class History<K extends string = string> implements Callback<Readonly<Record<K, number>> & { readonly epoch?: number }> {
  readonly history: Record<K, number[]>;

  /** @param keys - fields always present (empty arrays until the first epoch) */
  constructor(keys: readonly K[] = []) {
    this.history = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  }

  onEpochEnd(_epoch: number, logs: Readonly<Record<K, number>> & { readonly epoch?: number }): void {
    for (const [k, v] of Object.entries(logs) as [K | 'epoch', unknown][]) {
      if (k === 'epoch' || typeof v !== 'number') continue;
      (this.history[k as K] ??= []).push(v);
    }
  }

  /** A copy of the record. */
  snapshot(): Record<K, number[]> {
    return Object.fromEntries(Object.entries(this.history).map(([k, v]) => [k, [...(v as number[])]])) as Record<K, number[]>;
  }
}
