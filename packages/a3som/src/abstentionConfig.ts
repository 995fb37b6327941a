import { SomError } from '@somkit/plugin-api';

/** `'global'`: one threshold for the whole map; `'local'`: one per prototype (fallback to global when it has fewer than `minHits` training hits); `'none'`: rule off. */
export type AbstentionMode = 'global' | 'local' | 'none';

/** Options of {@link A3SOM.setAbstention}; every field optional. */
export interface AbstentionOptions {
  /** Distance rejection ('novel'): BMU distance above the `quantile` of the training BMU distances. Default {mode: 'global', quantile: 0.95}. */
  distance?: { mode?: AbstentionMode; quantile?: number };
  /** Ambiguity rejection ('ambiguous'): top-2 probability margin below `margin`. Default {mode: 'global', margin: 0.1}. */
  ambiguity?: { mode?: AbstentionMode; margin?: number };
  /** Training hits a prototype needs for its own (local) threshold. Default 5. */
  minHits?: number;
}

/** Abstention options resolved to their values. */
export interface AbstentionConfig {
  readonly distance: { readonly mode: AbstentionMode; readonly quantile: number };
  readonly ambiguity: { readonly mode: AbstentionMode; readonly margin: number };
  readonly minHits: number;
}

const MODES: readonly AbstentionMode[] = ['global', 'local', 'none'];

function fail(field: string, message: string): never {
  throw new SomError('ERR_INVALID_CONFIG', `${field}: ${message}`, { details: { field } });
}

function mode(v: unknown, field: string): AbstentionMode {
  if (!MODES.includes(v as AbstentionMode)) fail(field, `expected one of ${MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(v)}.`);
  return v as AbstentionMode;
}

/**
 * Merges `options` into `base` (defaults when absent) and validates.
 * @throws SomError ERR_INVALID_CONFIG naming the field
 */
export function resolveAbstention(options: AbstentionOptions = {}, base?: AbstentionConfig): AbstentionConfig {
  const quantile = options.distance?.quantile ?? base?.distance.quantile ?? 0.95;
  if (typeof quantile !== 'number' || !(quantile > 0 && quantile <= 1)) fail('distance.quantile', `expected a number in (0, 1], got ${JSON.stringify(quantile)}.`);
  const margin = options.ambiguity?.margin ?? base?.ambiguity.margin ?? 0.1;
  if (typeof margin !== 'number' || !(margin >= 0 && margin <= 1)) fail('ambiguity.margin', `expected a number in [0, 1], got ${JSON.stringify(margin)}.`);
  const minHits = options.minHits ?? base?.minHits ?? 5;
  if (typeof minHits !== 'number' || !Number.isInteger(minHits) || minHits < 1) fail('minHits', `expected an integer ≥ 1, got ${JSON.stringify(minHits)}.`);
  return {
    distance: { mode: mode(options.distance?.mode ?? base?.distance.mode ?? 'global', 'distance.mode'), quantile },
    ambiguity: { mode: mode(options.ambiguity?.mode ?? base?.ambiguity.mode ?? 'global', 'ambiguity.mode'), margin },
    minHits,
  };
}
