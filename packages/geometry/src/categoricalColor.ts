/** d3-scale-chromatic's `schemeTableau10` (Tableau's 10-colour palette), as data. */
const schemeTableau10: readonly string[] = ['#4e79a7', '#f28e2c', '#e15759', '#76b7b2', '#59a14f', '#edc949', '#af7aa1', '#ff9da7', '#9c755f', '#bab0ab'];

/** Fill of noise / unassigned units (cluster label −1). */
export const NOISE_COLOR = '#bdbdbd';

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): string => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(255 * c).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/**
 * Colour of category `id` (class or cluster): Tableau10 for ids 0–9, then golden-angle hues so
 * any number of categories stays distinguishable and deterministic. Negative ids (noise) are grey.
 */
export function categoricalColor(id: number): string {
  if (id < 0) return NOISE_COLOR;
  const t = schemeTableau10[id];
  if (t !== undefined) return t;
  const k = id - schemeTableau10.length;
  return hslToHex((k * 137.508 + 20) % 360, 0.55 + 0.2 * (k % 2), 0.5 + 0.12 * ((k % 3) - 1));
}
