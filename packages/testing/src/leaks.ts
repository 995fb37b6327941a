import * as tf from '@tensorflow/tfjs-core';

interface Counts {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
}

function counts(): Counts {
  const m = tf.memory();
  return { numTensors: m.numTensors, numDataBuffers: m.numDataBuffers, numBytes: m.numBytes };
}

function describeDelta(label: string, before: Counts, after: Counts, alive: readonly tf.Tensor[]): string {
  const d = after.numTensors - before.numTensors;
  const what =
    d > 0
      ? `${d} tensor${d === 1 ? '' : 's'} leaked`
      : `${-d} tensor${d === -1 ? '' : 's'} disposed that ${d === -1 ? 'it' : 'they'} did not create (an input? a tensor owned by the caller?)`;
  const bytes = after.numBytes - before.numBytes;
  let msg =
    `${label}: ${what} (tf.memory().numTensors ${before.numTensors} → ${after.numTensors}, ` +
    `numDataBuffers ${before.numDataBuffers} → ${after.numDataBuffers}, bytes ${bytes >= 0 ? '+' : ''}${bytes}).`;
  if (alive.length > 0) {
    const list = alive.slice(0, 10).map((t) => `${t.dtype}[${t.shape.join(',')}] #${t.id}`);
    msg += `\n  created inside and still alive: ${list.join(', ')}${alive.length > 10 ? `, … (${alive.length})` : ''}`;
  }
  return msg;
}

/** A leak check started by {@link withLeakCheck}. */
export interface LeakCheck {
  /** `tf.memory().numTensors` when the check started. */
  readonly before: number;
  /** Throws when the tensor count differs from `before`, saying by how much. */
  check(): void;
}

/**
 * Starts a leak check for code that is not one function (hooks, several awaits).
 *
 * ```ts
 * const leaks = withLeakCheck();
 * const y = f(x); y.dispose();
 * leaks.check(); // throws "… 1 tensor leaked (tf.memory().numTensors 3 → 4, …)"
 * ```
 */
export function withLeakCheck(label = 'withLeakCheck'): LeakCheck {
  const start = counts();
  return Object.freeze({
    before: start.numTensors,
    check(): void {
      const now = counts();
      if (now.numTensors !== start.numTensors) throw new Error(describeDelta(label, start, now, []));
    },
  });
}

type Tracker = { trackTensor(t: tf.Tensor, backend: unknown): void };

/**
 * Runs `fn` (sync or async) and asserts that `tf.memory().numTensors` is the same afterwards. The
 * message gives the difference and the shapes of tensors created inside `fn` that are still
 * alive. `fn` must dispose everything it creates, results included.
 *
 * ```ts
 * await expectNoLeaks(() => distance.pairwise(x, w).dispose());
 * ```
 *
 * @returns what `fn` returned
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, label = 'expectNoLeaks'): Promise<T> {
  const engine = tf.engine() as unknown as Tracker;
  const created: tf.Tensor[] = [];
  // Record tensors created inside fn (tfjs routes every new tensor through trackTensor), so the
  // message can name the leaked ones. Restored in `finally`; nesting restores in order.
  const original = engine.trackTensor;
  const patched = typeof original === 'function';
  if (patched) {
    engine.trackTensor = function (this: unknown, t: tf.Tensor, backend: unknown): void {
      created.push(t);
      original.call(this, t, backend);
    };
  }
  const before = counts();
  let result: T;
  try {
    result = await fn();
  } finally {
    if (patched) engine.trackTensor = original;
  }
  const after = counts();
  if (after.numTensors !== before.numTensors) {
    const alive = created.filter((t) => !t.isDisposed);
    throw new Error(describeDelta(label, before, after, alive));
  }
  return result;
}
