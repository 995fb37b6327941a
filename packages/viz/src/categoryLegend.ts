import { categoricalColor, NOISE_COLOR } from '@somkit/geometry';
import type { LegendEntry } from './drawMapPanel.js';

/** Most legend entries a categorical map draws by default; the rest are summed up in one "… and M more" line. */
export const MAX_LEGEND_ENTRIES = 24;

/** Options of {@link categoryLegend}. */
export interface CategoryLegendOptions {
  /** `names[id]` names category `id` (ids that index it); other ids use `unnamed`. */
  readonly names?: readonly string[] | undefined;
  /**
   * True for cluster maps, where a negative id means noise (grey, one "noise" entry, last).
   * False for classification and category maps, where every finite value is a real class,
   * `-1` included; empty units are NaN there and are not in the legend.
   */
  readonly noise: boolean;
  /** Text of an id without a name, e.g. `class 10`. */
  readonly unnamed: (id: number) => string;
  /** Most category entries listed (default {@link MAX_LEGEND_ENTRIES}); the noise and "more" lines come on top. */
  readonly maxEntries?: number | undefined;
}

/** What {@link categoryLegend} returns: the entries and the fill of each id, so cells and legend agree. */
export interface CategoryKey {
  readonly entries: LegendEntry[];
  /** Fill of a finite value (category id) of the map. */
  readonly color: (id: number) => string;
  /** Categories present on the map but not listed (0 when all are). */
  readonly hidden: number;
}

/**
 * The legend of a categorical map: one entry per category **present on the map** (so names
 * never land on ids that do not occur), in id order; when there are more than `maxEntries`, the
 * `maxEntries` categories that cover the most units (ties: smaller id first) and a last line
 * "… and M more", which keeps the figure a readable size for any number of labels.
 *
 * Colours: ids that are integers ≥ 0 keep {@link categoricalColor}`(id)` (the same colour for
 * the same class or cluster in every figure); when some class id is negative or not an integer
 * (e.g. a real class −1), every class is coloured by its rank among the ids present instead, so
 * no class is drawn in the grey of noise. Noise (cluster maps only) is grey.
 * @param values - [u] category id per unit; non-finite = empty unit (not listed)
 */
export function categoryLegend(values: ArrayLike<number>, options: CategoryLegendOptions): CategoryKey {
  const { names, noise, unnamed } = options;
  const max = options.maxEntries ?? MAX_LEGEND_ENTRIES;
  const counts = new Map<number, number>();
  let noiseUnits = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (noise && v < 0) noiseUnits++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const ids = [...counts.keys()].sort((a, b) => a - b);
  const byId = ids.every((id) => Number.isInteger(id) && id >= 0);
  const rank = new Map(ids.map((id, r) => [id, r]));
  const color = (id: number): string => {
    if (noise && id < 0) return NOISE_COLOR;
    if (byId) return categoricalColor(id);
    // An id not on the map (a caller colouring something else) falls back to its own colour.
    const r = rank.get(id);
    return r === undefined ? categoricalColor(Math.abs(Math.trunc(id))) : categoricalColor(r);
  };
  const nameOf = (id: number): string => (Number.isInteger(id) && id >= 0 ? names?.[id] : undefined) ?? unnamed(id);
  let shown = ids;
  if (ids.length > max) {
    // The categories covering the most units, listed by count (most first).
    shown = [...ids].sort((a, b) => counts.get(b)! - counts.get(a)! || a - b).slice(0, Math.max(0, max));
  }
  const entries: LegendEntry[] = shown.map((id) => ({ label: nameOf(id), color: color(id) }));
  const hidden = ids.length - shown.length;
  if (hidden > 0) entries.push({ label: `… and ${hidden} more`, color: 'none' });
  if (noiseUnits > 0) entries.push({ label: 'noise', color: NOISE_COLOR });
  return { entries, color, hidden };
}
