import { assertPlugin, logger, registry, SomError, type SearchBackend, type SearchContext, type SearchRef } from '@somkit/plugin-api';
import { bruteForce } from './bruteForce.js';

/** What {@link resolveSearch} picked and why the others were not used. */
export interface SearchChoice {
  backend: SearchBackend;
  /** Backends considered by `auto` and refused, with the reason each gave. */
  refused: Array<{ name: string; reason: string }>;
}

/**
 * Resolves a search setting to a backend. `'auto'` takes the highest-priority registered backend
 * whose `supports(ctx)` is true; the exact brute force (priority 0) is always there as fallback.
 * A named or object backend must support the context, otherwise `ERR_BACKEND_UNSUPPORTED`.
 */
export function resolveSearch(ref: SearchRef, ctx: SearchContext, extra?: readonly unknown[]): SearchChoice {
  if (ref === 'auto') {
    const refused: SearchChoice['refused'] = [];
    const candidates: SearchBackend[] = [];
    for (const name of registry.list('search')) {
      try {
        candidates.push(registry.resolve('search', name));
      } catch (e) {
        refused.push({ name, reason: e instanceof Error ? e.message : String(e) });
      }
    }
    for (const e of extra ?? []) {
      if (typeof e === 'object' && e !== null && (e as { kind?: unknown }).kind === 'search') {
        assertPlugin('search', e);
        candidates.push(e);
      }
    }
    candidates.sort((a, b) => b.priority - a.priority);
    for (const c of candidates) {
      const ok = c.supports(ctx);
      if (ok === true) {
        for (const r of refused) logger.debug(`search 'auto': refused ${r.name}: ${r.reason}`);
        return { backend: c, refused };
      }
      refused.push({ name: c.name, reason: ok });
    }
    return { backend: bruteForce(), refused };
  }
  const backend = ref === 'brute-force' ? bruteForce() : registry.resolve('search', ref, undefined, [bruteForce, ...(extra ?? [])]);
  const ok = backend.supports(ctx);
  if (ok !== true) {
    throw new SomError('ERR_BACKEND_UNSUPPORTED', `Search backend '${backend.name}' cannot run here: ${ok}. Use search: 'auto' or 'brute-force'.`);
  }
  return { backend, refused: [] };
}
