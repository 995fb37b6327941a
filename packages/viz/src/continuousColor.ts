import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';

/** Continuous colour schemes: viridis (sequential) and RdBu (diverging, blue = negative, red = positive). */
export type ContinuousScheme = 'viridis' | 'diverging';

/** CSS `rgb(r, g, b)` or `#rrggbb` → `#rrggbb`. */
function toHex(c: string): string {
  if (c.startsWith('#')) return c;
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(c);
  if (m === null) return c;
  return `#${[m[1], m[2], m[3]].map((x) => Number(x).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Colour of `t` ∈ [0, 1] (clamped) in a continuous scheme, as `#rrggbb`.
 * Diverging maps 0 → blue, ½ → white, 1 → red.
 */
export function continuousColor(scheme: ContinuousScheme, t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  return toHex(scheme === 'viridis' ? interpolateViridis(x) : interpolateRdBu(1 - x));
}

/** Black or white text, whichever reads better on `hex` (relative luminance). */
export function textColorOn(hex: string): string {
  const n = parseInt(hex.slice(1, 7), 16);
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
  return l > 0.33 ? '#111111' : '#ffffff';
}
