import { logger, pickByPriority, registry, SomError, type SearchContext, type SearchRef, type SearchStrategy } from '@somkit/plugin-api';
import { bruteForce } from './bruteForce.js';

/** What {@link resolveSearch} picked and why the others were not used. */
export interface SearchChoice {
  /** The search strategy to use. */
  strategy: SearchStrategy;
  /**
   * The same object as {@link SearchChoice.strategy}.
   * @deprecated Use `strategy` (contract v2 calls it a search strategy, not a backend).
   */
  backend: SearchStrategy;
  /** Strategies considered by `auto` and refused, with the reason each gave. */
  refused: Array<{ name: string; reason: string }>;
}

function choice(strategy: SearchStrategy, refused: SearchChoice['refused']): SearchChoice {
  return { strategy, backend: strategy, refused };
}

/**
 * Resolves a search setting to a search strategy. `'auto'` takes the highest-priority registered
 * strategy that declares `exact: true` and whose `supports(ctx)` is true — an approximate index
 * changes what the model computes, so it is used only when asked for by name or object — with the
 * exact brute force (priority 0) always there as fallback. A named or object strategy must support
 * the context, otherwise `ERR_BACKEND_UNSUPPORTED`. Engines (where the arithmetic runs) are
 * resolved separately, by core.
 */
export function resolveSearch(ref: SearchRef, ctx: SearchContext, extra?: readonly unknown[]): SearchChoice {
  if (ref === 'auto') {
    const { plugin, refused } = pickByPriority('search', ctx, bruteForce(), extra, (s) =>
      s.exact === true || `an approximate strategy: search 'auto' picks only exact ones (ask for '${s.name}' by name to use it)`);
    for (const r of refused) logger.debug(`search 'auto': refused ${r.name}: ${r.reason}`);
    return choice(plugin, refused);
  }
  const strategy = ref === 'brute-force' ? bruteForce() : registry.resolve('search', ref, undefined, [bruteForce, ...(extra ?? [])]);
  const ok = strategy.supports(ctx);
  if (ok !== true) {
    throw new SomError('ERR_BACKEND_UNSUPPORTED', `Search backend '${strategy.name}' cannot run here: ${ok}. Use search: 'auto' or 'brute-force'.`);
  }
  return choice(strategy, []);
}
