import { assertPlugin, pickByPriority, registry, SomError, type Engine, type EngineContext, type EngineRef } from '@somkit/plugin-api';
import { tfjsEngine } from './tfjsEngine.js';

/** What {@link resolveEngine} picked, why, and what it refused. */
export interface EngineChoice {
  readonly engine: Engine;
  /** One line: why this engine (e.g. `'auto: highest priority that supports euclidean on wasm'`). */
  readonly reason: string;
  /** Engines `auto` considered and refused, with the reason each gave. */
  readonly refused: ReadonlyArray<{ name: string; reason: string }>;
}

const KEY = Symbol.for('somkit.defaultEngine@1');

/**
 * Sets the engine every SOM uses when neither its options nor `fit` name one (the way
 * `tf.setBackend` sets the backend): an engine object, a registered name, `'tfjs'` or `'auto'`
 * (the default). Process-wide (shared by duplicate copies of core); returns the previous setting.
 */
export function useEngine(ref: EngineRef): EngineRef {
  if (ref !== 'auto' && typeof ref !== 'string' && !(typeof ref === 'object' && ref !== null)) {
    throw new SomError('ERR_INVALID_CONFIG', `useEngine: expected an engine object, a registered engine name, 'tfjs' or 'auto', got ${String(ref)}.`);
  }
  if (typeof ref === 'object' && 'kind' in ref) assertPlugin('engine', ref, 'useEngine(engine)');
  const g = globalThis as unknown as Record<symbol, EngineRef | undefined>;
  const prev = g[KEY] ?? 'auto';
  g[KEY] = ref;
  return prev;
}

/** The process-wide default set by {@link useEngine} (`'auto'` when never set). */
export function defaultEngine(): EngineRef {
  return (globalThis as unknown as Record<symbol, EngineRef | undefined>)[KEY] ?? 'auto';
}

/**
 * Turns an engine setting into an engine (training calls on big jobs measure instead: see
 * `EngineSlot` and `measureEngines`). `'auto'` takes the registered engine (or one in `extra`)
 * with the highest priority whose `supports(ctx)` is true — priorities are set from measurements
 * (see bench/README.md); the tfjs reference has 0, so an engine with a negative priority (worker
 * threads, slower on 2 cores) is used only by name — and falls back to the tfjs reference; a named or object engine must
 * support the context, otherwise `ERR_BACKEND_UNSUPPORTED` with its reason.
 */
export function resolveEngine(ref: EngineRef, ctx: EngineContext, extra: readonly unknown[] = []): EngineChoice {
  if (ref === 'auto') {
    const { plugin, refused } = pickByPriority('engine', ctx, tfjsEngine(), extra);
    const reason = plugin.name === 'tfjs'
      ? `auto: no faster engine can run here${refused.length > 0 ? ` (${refused.map((r) => `${r.name}: ${r.reason}`).join('; ')})` : ''}`
      : `auto: the fastest measured engine that supports ${ctx.distance.name} on ${ctx.backend} (priority ${plugin.priority})`;
    return { engine: plugin, reason, refused };
  }
  const engine = ref === 'tfjs' ? tfjsEngine() : registry.resolve('engine', ref, undefined, [tfjsEngine, ...extra]);
  const ok = engine.supports(ctx);
  if (ok !== true) {
    throw new SomError('ERR_BACKEND_UNSUPPORTED', `Engine '${engine.name}' cannot run here: ${ok}. Use engine: 'auto' or 'tfjs'.`);
  }
  return { engine, reason: 'chosen by name', refused: [] };
}
