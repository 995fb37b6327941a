import { describe, expect, it } from 'vitest';
import { schemeTableau10 } from 'd3-scale-chromatic';
import { Grid } from '@somkit/geometry';
import { isSomError, registry, type Codebook, type MapData, type Topology } from '@somkit/plugin-api';
import './register.js';
import { categoricalColor, NOISE_COLOR } from '@somkit/geometry';
import { codebookRgb } from './codebookRgb.js';
import { EMPTY_FILL } from './drawMapPanel.js';
import { continuousColor } from './continuousColor.js';
import { niceTicks } from './niceTicks.js';
import { renderClassificationMap } from './renderClassificationMap.js';
import { renderClusterMap } from './renderClusterMap.js';
import { renderCodebookColors } from './renderCodebookColors.js';
import { renderComponentPlanes } from './renderComponentPlanes.js';
import { renderHitMap } from './renderHitMap.js';
import { renderMap } from './renderMap.js';
import { renderTrainingCurves } from './renderTrainingCurves.js';
import { renderUMatrix } from './renderUMatrix.js';
import { svgRenderer } from './svgRenderer.js';
import { checkWellFormed, parseCells, svgSize } from '@somkit/testing';

function map(type: string, rows: number, cols: number, topology: Topology, f: (u: number) => number, label?: string): MapData {
  return { type, values: Float32Array.from({ length: rows * cols }, (_, u) => f(u)), rows, cols, topology, pbc: false, ...(label === undefined ? {} : { label }) };
}

function codebook(rows: number, cols: number, dims: number, topology: Topology, f: (u: number, j: number) => number): Codebook {
  const g = new Grid({ rows, cols, topology, pbc: false });
  const weights = new Float32Array(rows * cols * dims);
  for (let u = 0; u < rows * cols; u++) for (let j = 0; j < dims; j++) weights[u * dims + j] = f(u, j);
  return { weights, units: rows * cols, dims, rows, cols, coords: g.coords, topology, pbc: false };
}

function expectSomError(fn: () => unknown, code: string, pattern?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(isSomError(e), String(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    if (pattern) expect((e as Error).message).toMatch(pattern);
    return;
  }
  expect.unreachable(`expected SomError ${code}`);
}

describe.each(['rectangular', 'hexagonal'] as const)('cells on a %s grid', (topology) => {
  it('one cell element per unit, with data-unit, data-value and a tooltip; well-formed XML', () => {
    const m = map('distance', 7, 9, topology, (u) => u / 62, 'U-matrix');
    const svg = renderUMatrix(m);
    const cells = parseCells(svg);
    expect(cells).toHaveLength(63);
    expect(cells.map((c) => c.unit)).toEqual(Array.from({ length: 63 }, (_, u) => u));
    expect(cells.every((c) => c.vertices === (topology === 'hexagonal' ? 6 : 4))).toBe(true);
    expect(Number(cells[31]!.value)).toBeCloseTo(31 / 62, 6);
    expect(svg.match(/<path class="cell"[^>]*><title>Unit \d+ \(row \d+, col \d+\)/g)).toHaveLength(63);
    expect(checkWellFormed(svg)).toBeGreaterThan(63);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('cell centres sit at the Grid plane coordinates: neighbours exactly one cell step apart', () => {
    const rows = 6;
    const cols = 5;
    const svg = renderMap(map('hit', rows, cols, topology, (u) => u));
    const cells = parseCells(svg);
    const grid = new Grid({ rows, cols, topology, pbc: false });
    const dist = (a: number, b: number): number => Math.hypot(cells[a]!.cx - cells[b]!.cx, cells[a]!.cy - cells[b]!.cy);
    // The scale: px per grid step, from the first horizontal pair.
    const s = dist(0, 1);
    expect(s).toBeGreaterThan(10);
    for (let u = 0; u < rows * cols; u++) {
      for (let v = u + 1; v < rows * cols; v++) {
        // Plane distance from the one grid geometry, times the scale.
        expect(dist(u, v)).toBeCloseTo(Math.sqrt(grid.planeDistance2(u, v)) * s, 1);
        if (topology === 'hexagonal' && grid.adjacent(u, v)) expect(dist(u, v)).toBeCloseTo(s, 1);
      }
    }
    // y grows downward with the row; odd rows of a hex grid are shifted right by half a step.
    expect(cells[cols]!.cy).toBeGreaterThan(cells[0]!.cy);
    expect(cells[cols]!.cx - cells[0]!.cx).toBeCloseTo(topology === 'hexagonal' ? s / 2 : 0, 1);
  });

  it('empty (NaN) units are drawn as empty cells, and "NaN" appears nowhere', () => {
    const m = map('metric', 4, 4, topology, (u) => (u % 3 === 0 ? Number.NaN : u - 8), 'Mean of target');
    for (const svg of [renderMap(m), renderMap(m, { showValues: true }), renderMap({ ...m, type: 'classification' }, { classNames: ['a', 'b'] })]) {
      expect(svg).not.toMatch(/NaN/);
      const cells = parseCells(svg);
      expect(cells.filter((c) => c.empty).map((c) => c.unit)).toEqual([0, 3, 6, 9, 12, 15]);
      expect(cells.filter((c) => c.empty).every((c) => c.value === '' && c.fill === EMPTY_FILL)).toBe(true);
      expect(svg).toContain('class="hatch"');
      expect(svg).toContain('class="empty-key"');
      checkWellFormed(svg);
    }
  });

  it('stays within ~600 px and readable at 20×20 and 100×100; per-cell text only up to 30×30', () => {
    const small = renderHitMap(map('hit', 20, 20, topology, (u) => u % 7));
    const big = renderHitMap(map('hit', 100, 100, topology, (u) => u % 7));
    for (const svg of [small, big]) {
      const { width, height } = svgSize(svg);
      expect(width).toBeLessThanOrEqual(660);
      expect(height).toBeLessThanOrEqual(620);
      expect(width).toBeGreaterThan(300);
    }
    expect(small).toContain('class="values"');
    expect(big).not.toContain('class="values"');
    expect(parseCells(big)).toHaveLength(10_000);
    expect(renderHitMap(map('hit', 31, 31, topology, () => 1))).not.toContain('class="values"');
  });
});

describe('colours, legends and bars', () => {
  it('viridis by default, diverging (blue → red) for signed values, categorical Tableau10 then more', () => {
    const pos = parseCells(renderMap(map('component', 1, 3, 'rectangular', (u) => u)));
    expect(pos.map((c) => c.fill)).toEqual([continuousColor('viridis', 0), continuousColor('viridis', 0.5), continuousColor('viridis', 1)]);
    expect(pos[0]!.fill).toBe('#440154');
    const signed = parseCells(renderMap(map('metric', 1, 3, 'rectangular', (u) => u - 1)));
    const rgb = (h: string): number[] => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
    const [lo, mid, hi] = signed.map((c) => rgb(c.fill));
    expect(lo![2]!).toBeGreaterThan(lo![0]!); // negative → blue
    expect(hi![0]!).toBeGreaterThan(hi![2]!); // positive → red
    expect(Math.min(...mid!)).toBeGreaterThan(230); // zero → near white
    expect(Array.from({ length: 10 }, (_, i) => categoricalColor(i))).toEqual([...schemeTableau10]);
    const many = Array.from({ length: 40 }, (_, i) => categoricalColor(i));
    expect(new Set(many).size).toBe(40);
    expect(many.every((c) => /^#[0-9a-f]{6}$/.test(c))).toBe(true);
    expect(categoricalColor(-1)).toBe(NOISE_COLOR);
  });

  it('colour bar with nice tick labels and a label', () => {
    const svg = renderMap(map('metric', 5, 5, 'hexagonal', (u) => 10 + u * 4), { colorbarLabel: 'target mean' });
    const ticks = [...svg.matchAll(/class="tick-label"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(ticks).toEqual(['20', '40', '60', '80', '100']);
    expect(svg).toContain('>target mean</text>');
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it('classification map: categorical cells and one legend entry per class name', () => {
    const classNames = ['setosa', 'versicolor', 'virginica'];
    const m = map('classification', 4, 4, 'hexagonal', (u) => (u === 5 ? Number.NaN : u % 3), 'Class');
    const svg = renderClassificationMap(m, classNames);
    const legend = [...svg.matchAll(/class="legend-entry" data-label="([^"]*)"/g)].map((x) => x[1]);
    expect(legend).toEqual(classNames);
    const cells = parseCells(svg);
    expect(cells[1]!.fill).toBe(categoricalColor(1));
    expect(cells[5]!.empty).toBe(true);
    expect(svg).toContain('versicolor');
    expect(svg).toMatch(/Unit 2 \(row 0, col 2\)\nClass: virginica/);
    expect(svg).not.toMatch(/NaN/);
    checkWellFormed(svg);
    // Without names: one entry per class id present.
    const unnamed = renderClassificationMap(m);
    expect([...unnamed.matchAll(/class="legend-entry" data-label="([^"]*)"/g)].map((x) => x[1])).toEqual(['class 0', 'class 1', 'class 2']);
  });

  it('cluster map: categorical, −1 is grey noise in the legend', () => {
    const cb = codebook(3, 4, 2, 'rectangular', (u, j) => u + j);
    const labels = Int32Array.from([0, 0, 1, 1, 0, -1, 1, 2, 2, 2, -1, 1]);
    const svg = renderClusterMap(labels, cb);
    const cells = parseCells(svg);
    expect(cells).toHaveLength(12);
    expect(cells[5]!.fill).toBe(NOISE_COLOR);
    expect(cells[7]!.fill).toBe(categoricalColor(2));
    expect([...svg.matchAll(/class="legend-entry" data-label="([^"]*)"/g)].map((x) => x[1])).toEqual(['cluster 0', 'cluster 1', 'cluster 2', 'noise']);
    checkWellFormed(svg);
    expectSomError(() => renderClusterMap(Int32Array.from([0, 1]), cb), 'ERR_SHAPE_MISMATCH', /expected 12 values/);
  });
});

describe('figures', () => {
  it('component planes: one panel per feature, titled, u cells each; a subset on request', () => {
    const cb = codebook(5, 6, 4, 'hexagonal', (u, j) => Math.sin(u * (j + 1)));
    const names = ['sepal length', 'sepal width', 'petal length', 'petal width'];
    const svg = renderComponentPlanes(cb, names);
    expect(svg.match(/<g class="panel"/g)).toHaveLength(4);
    expect(parseCells(svg)).toHaveLength(4 * 30);
    for (const n of names) expect(svg).toContain(`>${n}</text>`);
    checkWellFormed(svg);
    const sub = renderComponentPlanes(cb, names, { features: [2] });
    expect(sub.match(/<g class="panel"/g)).toHaveLength(1);
    expect(sub).toContain('petal length');
    expectSomError(() => renderComponentPlanes(cb, names, { features: [4] }), 'ERR_INVALID_INPUT', /\[0, 3\]/);
  });

  it('training curves: two hand-built panels with axes, ticks and one line each; NaN skipped', () => {
    const svg = renderTrainingCurves({ qe: [1.2, 0.8, 0.5, 0.41, 0.4], te: [0.3, 0.2, Number.NaN, 0.05, 0.04] });
    expect(svg.match(/<g class="panel"/g)).toHaveLength(2);
    expect(svg.match(/<polyline class="series"/g)).toHaveLength(2);
    expect(svg.match(/class="axis"/g)).toHaveLength(4);
    expect((svg.match(/class="tick-label"/g) ?? []).length).toBeGreaterThan(10);
    expect(svg).toContain('Quantization error');
    expect(svg).toContain('TE (%)');
    expect(svg).not.toMatch(/NaN/);
    checkWellFormed(svg);
    // A flat zero TE keeps its axis at ≥ 0.
    const flat = renderTrainingCurves({ qe: [1, 0.5], te: [0, 0] });
    const teTicks = [...flat.split('data-series="Topographic error"')[1]!.matchAll(/class="tick-label"[^>]*>([^<]+)</g)].map((m) => m[1]!);
    expect(teTicks.filter((t) => t.startsWith('-'))).toEqual([]);
    const empty = renderTrainingCurves({ qe: [], te: [] });
    expect(empty).toContain('no training history');
    checkWellFormed(empty);
    expectSomError(() => renderTrainingCurves({} as never), 'ERR_INVALID_INPUT');
  });

  it('codebook colours: PCA → RGB, channels min-max scaled to 0–255', () => {
    // Units on a line in 5-D: PC1 carries everything → red spans 0..255, the others are constant-ish.
    const cb = codebook(4, 4, 5, 'rectangular', (u, j) => u * (j + 1));
    const { rgb, method, explained } = codebookRgb(cb);
    expect(method).toBe('pca');
    expect(explained![0]).toBeCloseTo(1, 6);
    const red = Array.from({ length: 16 }, (_, k) => rgb[3 * k]!);
    expect(Math.min(...red)).toBe(0);
    expect(Math.max(...red)).toBe(255);
    expect(red).toEqual([...red].sort((a, b) => a - b)); // monotone along the line, sign fixed
    // d = 3: the raw features.
    const raw = codebookRgb(codebook(2, 2, 3, 'rectangular', (u, j) => (j === 2 ? 7 : u * (j + 1))));
    expect(raw.method).toBe('raw');
    expect([...raw.rgb]).toEqual([0, 0, 128, 85, 85, 128, 170, 170, 128, 255, 255, 128]);
    const svg = renderCodebookColors(cb);
    expect(parseCells(svg).map((c) => c.value)).toEqual(parseCells(svg).map((c) => c.fill));
    expect(svg).toContain('principal components');
    checkWellFormed(svg);
  });

  it('codebook colours of wide codebooks (2,000 features) in well under two seconds: the planted components', () => {
    // Three planted directions with distinct variances (patterns over the units that are exactly
    // orthogonal and centred) plus small noise: PC1..3 are known.
    const [u, d] = [64, 2000];
    const w = new Float32Array(u * d);
    let seed = 7;
    const r = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    for (let k = 0; k < u; k++) {
      const [a, b, c] = [9 * Math.cos((2 * Math.PI * k) / u), 3 * Math.sin((2 * Math.PI * k) / u), Math.cos((4 * Math.PI * k) / u)];
      for (let j = 0; j < d; j++) w[k * d + j] = (j === 5 ? a : j === 900 ? b : j === 1999 ? c : 0) + r() * 1e-3;
    }
    const t0 = performance.now();
    const { rgb, explained } = codebookRgb({ weights: w, units: u, dims: d });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(explained!.reduce((s, e) => s + e, 0)).toBeGreaterThan(0.99);
    expect(explained![0]).toBeGreaterThan(explained![1]!);
    expect(explained![1]).toBeGreaterThan(explained![2]!);
    // Red follows feature 5, green feature 900, blue feature 1999 (correlation across units).
    const corr = (a: number[], b: number[]): number => {
      const [ma, mb] = [a.reduce((s, x) => s + x, 0) / a.length, b.reduce((s, x) => s + x, 0) / b.length];
      let [sab, saa, sbb] = [0, 0, 0];
      for (let i = 0; i < a.length; i++) [sab, saa, sbb] = [sab + (a[i]! - ma) * (b[i]! - mb), saa + (a[i]! - ma) ** 2, sbb + (b[i]! - mb) ** 2];
      return sab / Math.sqrt(saa * sbb);
    };
    for (const [ch, feature] of [[0, 5], [1, 900], [2, 1999]] as const) {
      const channel = Array.from({ length: u }, (_, k) => rgb[3 * k + ch]!);
      const values = Array.from({ length: u }, (_, k) => w[k * d + feature]!);
      expect(corr(channel, values), `channel ${ch} against feature ${feature}`).toBeGreaterThan(0.9999);
    }
  });

  it('bad map data → SomError', () => {
    expectSomError(() => renderMap({ ...map('hit', 2, 2, 'rectangular', () => 1), values: new Float32Array(3) }), 'ERR_SHAPE_MISMATCH', /expected 4 values/);
    expectSomError(() => renderMap({ ...map('hit', 2, 2, 'rectangular', () => 1), topology: 'square' as Topology }), 'ERR_INVALID_INPUT', /topology/);
    expectSomError(() => renderMap({ ...map('hit', 2, 2, 'rectangular', () => 1), rows: 0 }), 'ERR_INVALID_INPUT', /rows/);
  });
});

describe('svgRenderer plugin', () => {
  it('is a renderer plugin registered as svg, rendering like renderMap', async () => {
    const r = svgRenderer({ size: 200 });
    expect([r.kind, r.name, r.apiVersion]).toEqual(['renderer', 'svg', 2]);
    expect(Object.isFrozen(r)).toBe(true);
    const m = map('hit', 3, 3, 'hexagonal', (u) => u);
    expect(await r.render(m, { title: 'Hits' })).toBe(renderMap(m, { size: 200, title: 'Hits' }));
    expect(registry.list('renderer')).toContain('svg');
    const viaRegistry = registry.resolve('renderer', 'svg');
    expect(await viaRegistry.render(m)).toBe(renderMap(m));
    expect(JSON.parse(JSON.stringify(r.options))).toEqual({ size: 200 });
  });
});
