import type { MapSpec } from './MapOptions.js';

function show(v: unknown): string {
  if (typeof v === 'object' && v !== null) {
    const p = v as { kind?: unknown; name?: unknown; options?: unknown };
    if (typeof p.name === 'string') return p.options === undefined ? p.name : `${p.name}${JSON.stringify(p.options)}`;
    return JSON.stringify(v);
  }
  return String(v);
}

/**
 * The key of a map request in {@link buildMaps} results: the type alone when no option is set,
 * else `type_<k=v,…>` with the options sorted by name (`'metric_reduction=std'`,
 * `'distance_neighborhoodOrder=2,scaling=mean'`). Plugin objects show as their name.
 */
export function mapKey(spec: MapSpec): string {
  const parts = Object.keys(spec)
    .filter((k) => k !== 'type' && (spec as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${k}=${show((spec as Record<string, unknown>)[k])}`);
  return parts.length === 0 ? spec.type : `${spec.type}_${parts.join(',')}`;
}
