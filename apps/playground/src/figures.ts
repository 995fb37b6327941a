// Plain SVG figures drawn from `som.grid` and the codebook. Every map cell is one <polygon> with
// `data-unit="<flat index>"`, so a page can find the cell under the pointer (and a test can count
// them). The strings are complete SVG documents: the download buttons save them as they are.

/** What the figures need from `@somkit/core`'s Grid. */
export interface GridLike {
  readonly rows: number;
  readonly cols: number;
  readonly units: number;
  readonly topology: 'rectangular' | 'hexagonal';
  /** [u, 2] plane coordinates: rectangular (col, row); hexagonal odd-r (col + ½·odd, row·√3/2). */
  readonly coords: Float32Array;
  ring(unit: number, k: number): Int32Array;
}

const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];
const DIVERGING = ['#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b'];
/** Tableau 10. */
export const CLASS_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

function hex(n: number): string {
  return Math.round(Math.max(0, Math.min(255, n))).toString(16).padStart(2, '0');
}

function ramp(stops: readonly string[], t: number): string {
  const x = Number.isFinite(t) ? Math.max(0, Math.min(1, t)) * (stops.length - 1) : 0;
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i] as string;
  const b = stops[i + 1] as string;
  const ch = (s: string, k: number): number => parseInt(s.slice(1 + 2 * k, 3 + 2 * k), 16);
  return `#${hex(ch(a, 0) + f * (ch(b, 0) - ch(a, 0)))}${hex(ch(a, 1) + f * (ch(b, 1) - ch(a, 1)))}${hex(ch(a, 2) + f * (ch(b, 2) - ch(a, 2)))}`;
}

/** Viridis colour of t ∈ [0, 1]. */
export const viridis = (t: number): string => ramp(VIRIDIS, t);
/** Blue–white–red colour of t ∈ [0, 1]. */
export const diverging = (t: number): string => ramp(DIVERGING, t);

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

const fmt = (v: number): string => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(Math.abs(v) >= 10 ? 1 : 3));
const r2 = (v: number): string => String(Math.round(v * 100) / 100);

/** Cell outline around unit `u` in plane units, scaled by `px` and shifted by (ox, oy). */
export function cellPoints(grid: GridLike, u: number, px: number, ox: number, oy: number, shrink = 1): string {
  const x = grid.coords[2 * u] as number;
  const y = grid.coords[2 * u + 1] as number;
  const pts: string[] = [];
  if (grid.topology === 'hexagonal') {
    // Pointy-top hexagon of circumradius 1/√3: width 1, rows √3/2 apart, so neighbours touch.
    const R = shrink / Math.sqrt(3);
    for (let k = 0; k < 6; k++) {
      const a = ((-90 + 60 * k) * Math.PI) / 180;
      pts.push(`${r2(ox + (x + R * Math.cos(a)) * px)},${r2(oy + (y + R * Math.sin(a)) * px)}`);
    }
  } else {
    const h = shrink / 2;
    for (const [dx, dy] of [[-h, -h], [h, -h], [h, h], [-h, h]] as const) pts.push(`${r2(ox + (x + dx) * px)},${r2(oy + (y + dy) * px)}`);
  }
  return pts.join(' ');
}

/** Width and height of a map drawn with `px` pixels per grid step (including the cell overhang). */
export function mapSize(grid: GridLike, px: number): { w: number; h: number; pad: number } {
  const pad = px * 0.6;
  let maxX = 0;
  let maxY = 0;
  for (let u = 0; u < grid.units; u++) {
    maxX = Math.max(maxX, grid.coords[2 * u] as number);
    maxY = Math.max(maxY, grid.coords[2 * u + 1] as number);
  }
  return { w: maxX * px + 2 * pad, h: maxY * px + 2 * pad, pad };
}

/** Mean codebook distance of each unit to its ring-1 grid neighbours (the U-matrix heights). */
export function uMatrix(weights: Float32Array, dims: number, grid: GridLike): Float64Array {
  const out = new Float64Array(grid.units);
  for (let u = 0; u < grid.units; u++) {
    const ring = grid.ring(u, 1);
    let sum = 0;
    for (const v of ring) {
      let s = 0;
      for (let j = 0; j < dims; j++) {
        const d = (weights[u * dims + j] as number) - (weights[v * dims + j] as number);
        s += d * d;
      }
      sum += Math.sqrt(s);
    }
    out[u] = ring.length > 0 ? sum / ring.length : 0;
  }
  return out;
}

function range(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i] as number);
    hi = Math.max(hi, values[i] as number);
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

function svgOpen(w: number, h: number, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${r2(w)} ${r2(h)}" width="${r2(w)}" height="${r2(h)}" role="img" aria-label="${escapeXml(label)}" font-family="system-ui, sans-serif">`;
}

function colorbar(x: number, y: number, w: number, lo: number, hi: number, color: (t: number) => string, id: string): string {
  const stops = Array.from({ length: 11 }, (_, i) => `<stop offset="${i * 10}%" stop-color="${color(i / 10)}"/>`).join('');
  return (
    `<defs><linearGradient id="${id}">${stops}</linearGradient></defs>` +
    `<rect x="${r2(x)}" y="${r2(y)}" width="${r2(w)}" height="8" fill="url(#${id})"/>` +
    `<text x="${r2(x)}" y="${r2(y + 20)}" font-size="10">${fmt(lo)}</text>` +
    `<text x="${r2(x + w)}" y="${r2(y + 20)}" font-size="10" text-anchor="end">${fmt(hi)}</text>`
  );
}

/** The U-matrix: one cell per unit, viridis (dark = close neighbours, yellow = a cluster border). */
export function renderUMatrix(grid: GridLike, heights: Float64Array, px = 26): string {
  const { w, h, pad } = mapSize(grid, px);
  const [lo, hi] = range(heights);
  const span = hi - lo || 1;
  const cells: string[] = [];
  for (let u = 0; u < grid.units; u++) {
    cells.push(`<polygon data-unit="${u}" points="${cellPoints(grid, u, px, pad, pad)}" fill="${viridis(((heights[u] as number) - lo) / span)}" stroke="#fff" stroke-width="0.5"/>`);
  }
  return `${svgOpen(w, h + 28, 'U-matrix')}<g class="cells">${cells.join('')}</g>${colorbar(pad, h + 2, w - 2 * pad, lo, hi, viridis, 'umatrix-bar')}</svg>`;
}

/**
 * The hit map: a light cell per unit with a marker whose area is proportional to its hits,
 * coloured by the majority label (grey without labels), and the count.
 */
export function renderHitMap(grid: GridLike, hits: Int32Array, majority: Int32Array | undefined, px = 26): string {
  const { w, h, pad } = mapSize(grid, px);
  const max = Math.max(1, ...hits);
  const cells: string[] = [];
  for (let u = 0; u < grid.units; u++) {
    const n = hits[u] as number;
    cells.push(`<polygon data-unit="${u}" points="${cellPoints(grid, u, px, pad, pad)}" fill="#eef0f4" stroke="#fff" stroke-width="0.5"/>`);
    if (n > 0) {
      const m = majority?.[u] ?? -1;
      const color = m >= 0 ? (CLASS_COLORS[m % CLASS_COLORS.length] as string) : '#555';
      cells.push(`<polygon data-unit="${u}" class="hit" points="${cellPoints(grid, u, px, pad, pad, 0.95 * Math.sqrt(n / max))}" fill="${color}"/>`);
    }
  }
  return `${svgOpen(w, h + 14, 'Hit map')}<g class="cells">${cells.join('')}</g><text x="${r2(pad)}" y="${r2(h + 8)}" font-size="10">max ${max} hits per unit</text></svg>`;
}

/** One small map per feature, diverging colours per plane (blue = low, red = high). */
export function renderComponentPlanes(grid: GridLike, weights: Float32Array, dims: number, names: readonly string[], opts: { px?: number; max?: number } = {}): string {
  const px = opts.px ?? 11;
  const shown = Math.min(dims, opts.max ?? dims);
  const { w, h, pad } = mapSize(grid, px);
  const perRow = Math.max(1, Math.min(shown, Math.floor(900 / (w + 8))));
  const cellW = w + 8;
  const cellH = h + 30;
  const rows = Math.ceil(shown / perRow);
  const parts: string[] = [];
  for (let j = 0; j < shown; j++) {
    const gx = (j % perRow) * cellW;
    const gy = Math.floor(j / perRow) * cellH;
    let lo = Infinity;
    let hi = -Infinity;
    for (let u = 0; u < grid.units; u++) {
      const v = weights[u * dims + j] as number;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const span = hi - lo || 1;
    const name = names[j] ?? `feature ${j}`;
    parts.push(`<g transform="translate(${r2(gx)},${r2(gy)})"><text x="${r2(w / 2)}" y="12" font-size="11" text-anchor="middle">${escapeXml(name.length > 22 ? `${name.slice(0, 21)}…` : name)}</text><g transform="translate(0,16)">`);
    for (let u = 0; u < grid.units; u++) {
      parts.push(`<polygon data-unit="${u}" points="${cellPoints(grid, u, px, pad, pad)}" fill="${diverging(((weights[u * dims + j] as number) - lo) / span)}"/>`);
    }
    parts.push('</g></g>');
  }
  return `${svgOpen(perRow * cellW, rows * cellH, 'Component planes')}${parts.join('')}</svg>`;
}

/** QE per epoch as a polyline. */
export function renderCurve(values: readonly number[], width = 300, height = 160): string {
  const pad = 34;
  const [lo0, hi0] = range(values);
  const lo = values.length > 0 ? Math.min(lo0, 0) : 0;
  const hi = values.length > 0 && hi0 > lo ? hi0 : 1;
  const n = Math.max(2, values.length);
  const pts = values.map((v, i) => `${r2(pad + (i / (n - 1)) * (width - pad - 8))},${r2(height - 20 - ((v - lo) / (hi - lo)) * (height - 30))}`).join(' ');
  return (
    `${svgOpen(width, height, 'Quantization error per epoch')}` +
    `<line x1="${pad}" y1="${height - 20}" x2="${width - 8}" y2="${height - 20}" stroke="#999"/><line x1="${pad}" y1="10" x2="${pad}" y2="${height - 20}" stroke="#999"/>` +
    `<text x="${pad - 4}" y="14" font-size="10" text-anchor="end">${fmt(hi)}</text><text x="${pad - 4}" y="${height - 20}" font-size="10" text-anchor="end">${fmt(lo)}</text>` +
    `<text x="${width - 8}" y="${height - 6}" font-size="10" text-anchor="end">epoch ${values.length}</text>` +
    (values.length > 0 ? `<polyline points="${pts}" fill="none" stroke="#3b528b" stroke-width="2"/>` : '') +
    `</svg>`
  );
}
