import { assertPlugin, registry } from './registry.js';
import type { PluginKinds } from './types.js';

/** Plugin kinds chosen by `'auto'`: those with a priority and `supports(ctx)`. */
export type PrioritizedKind = 'search' | 'engine';

/** What {@link pickByPriority} chose, and what it refused with the reason each gave. */
export interface PriorityChoice<K extends PrioritizedKind> {
  readonly plugin: PluginKinds[K];
  readonly refused: Array<{ name: string; reason: string }>;
}

/**
 * The `'auto'` choice of a plugin kind: among the registered plugins of `kind`, those in `extra`
 * and `fallback`, the highest priority whose `accept` (if given) and `supports(ctx)` say `true`;
 * on equal priorities `fallback` goes first. `fallback` must always accept (the exact brute force,
 * the tfjs engine), so there is always a choice.
 */
export function pickByPriority<K extends PrioritizedKind>(
  kind: K,
  ctx: Parameters<PluginKinds[K]['supports']>[0],
  fallback: PluginKinds[K],
  extra: readonly unknown[] = [],
  accept?: (p: PluginKinds[K]) => true | string,
): PriorityChoice<K> {
  const refused: Array<{ name: string; reason: string }> = [];
  const candidates: PluginKinds[K][] = [fallback];
  for (const name of registry.list(kind)) {
    if (name === fallback.name) continue;
    try {
      candidates.push(registry.resolve(kind, name));
    } catch (e) {
      refused.push({ name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  for (const e of extra) {
    if ((e as { kind?: unknown } | null)?.kind === kind) {
      assertPlugin(kind, e);
      candidates.push(e);
    }
  }
  candidates.sort((a, b) => b.priority - a.priority);
  for (const c of candidates) {
    const ok = accept?.(c) ?? true;
    const supported = ok === true ? (c.supports as (x: unknown) => true | string)(ctx) : ok;
    if (supported === true) return { plugin: c, refused };
    refused.push({ name: c.name, reason: supported });
  }
  return { plugin: fallback, refused };
}
