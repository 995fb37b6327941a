/** Colour schemes: `auto` picks categorical for class/cluster maps, diverging for signed values, else viridis. */
export type ColorScheme = 'auto' | 'viridis' | 'diverging' | 'categorical';

/**
 * Options of the map renderers. Every field is optional; the defaults give a readable figure of
 * at most ~600 px for any grid size.
 */
export interface MapStyle {
  /** Title above the map. Default: from the map type (e.g. 'U-matrix'). */
  title?: string;
  /** Label beside the colour bar. Default: the map's `label`. */
  colorbarLabel?: string;
  /** Default 'auto'. */
  scheme?: ColorScheme;
  /** Value range of the colour scale. Default: the finite min/max (symmetric around 0 for diverging). */
  domain?: readonly [number, number];
  /** Per-cell value text. Default: on for hit maps; always off above 30×30 units or for tiny cells. */
  showValues?: boolean;
  /** Largest side of the cell area in px. Default 480. Cells are 2–48 px. */
  size?: number;
  /**
   * Names of class / cluster ids (categorical maps): `classNames[id]` names id `id`. The legend
   * lists the ids present on the map (named where a name exists), not every name.
   */
  classNames?: readonly string[];
  /** Categorical maps: most classes listed in the legend (default 24; the rest as "… and M more"). */
  maxLegendEntries?: number;
  /** Hits per unit [u], shown in the tooltips. */
  hits?: ArrayLike<number>;
  /** Draw the colour bar or legend. Default true. */
  legend?: boolean;
}
