import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import '@somkit/kernels/register';
import { SOM } from './SOM.js';
import { Rng } from '@somkit/geometry';
import { gridSizeFor, suggestGrid } from './suggestGrid.js';

/** n samples with standard deviations `sd` per feature (independent normals). */
function anisotropic(n: number, sd: readonly number[], seed = 1): Float32Array {
  const r = new Rng(seed);
  const out = new Float32Array(n * sd.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < sd.length; j++) out[i * sd.length + j] = r.normal() * sd[j]!;
  return out;
}

describe('gridSizeFor', () => {
  it('about 5·√n units, square for equal spreads', () => {
    const g = gridSizeFor(10_000, 1, 1);
    expect(g.units).toBeGreaterThan(450);
    expect(g.units).toBeLessThan(550);
    expect(Math.abs(g.rows - g.cols)).toBeLessThanOrEqual(1);
    expect(g.ratio).toBe(1);
  });
  it('sides in the ratio √(λ₁/λ₂), the longer one as rows', () => {
    const g = gridSizeFor(10_000, 16, 1);
    expect(g.ratio).toBe(4);
    expect(g.rows / g.cols).toBeGreaterThan(3.5);
    expect(g.rows / g.cols).toBeLessThan(4.5);
    expect(Math.abs(g.units - 500)).toBeLessThan(30);
  });
  it('a hexagonal grid gets more rows (rows are √3/2 apart)', () => {
    const r = gridSizeFor(2_000, 1, 1, 'rectangular');
    const h = gridSizeFor(2_000, 1, 1, 'hexagonal');
    expect(h.rows).toBeGreaterThan(h.cols);
    expect(h.rows * Math.sqrt(3) / 2 / h.cols).toBeCloseTo(1, 0);
    expect(Math.abs(r.rows - r.cols)).toBeLessThanOrEqual(1);
  });
  it('a flat second component still gives both sides ≥ 2; tiny n gives a small map', () => {
    const g = gridSizeFor(400, 5, 0);
    expect(g.cols).toBeGreaterThanOrEqual(2);
    expect(gridSizeFor(1, 1, 1)).toMatchObject({ units: expect.any(Number) });
    expect(gridSizeFor(1, 1, 1).units).toBeLessThanOrEqual(6);
  });
  it('refuses bad n or eigenvalues with the expected value', () => {
    expect(() => gridSizeFor(0, 1, 1)).toThrow(/integer ≥ 1, got 0/);
    expect(() => gridSizeFor(10, -1, 1)).toThrow(/lambda1.*finite number ≥ 0, got -1/);
    expect(() => gridSizeFor(10, 1, NaN)).toThrow(/lambda2/);
  });
});

describe('suggestGrid / SOM.forData', () => {
  it('reads the spreads of the data: sd 3 vs 1 → a 3:1 grid', async () => {
    const x = anisotropic(2_000, [3, 1, 0.2]);
    const g = await suggestGrid({ data: x, shape: [2_000, 3] });
    expect(g.ratio).toBeGreaterThan(2.7);
    expect(g.ratio).toBeLessThan(3.3);
    expect(g.rows).toBeGreaterThan(g.cols);
    expect(Math.abs(g.units - 5 * Math.sqrt(2_000))).toBeLessThan(15);
  });
  it('the product form for wide data gives the same ratio as the covariance', async () => {
    const sd = Array.from({ length: 100 }, (_, j) => (j === 0 ? 4 : j === 1 ? 2 : 0.5));
    const g = await suggestGrid({ data: anisotropic(1_000, sd), shape: [1_000, 100] });
    expect(g.ratio).toBeGreaterThan(1.7);
    expect(g.ratio).toBeLessThan(2.3);
  });
  it('one feature → a square grid', async () => {
    const g = await suggestGrid([[1], [2], [3], [4]]);
    expect(g.ratio).toBe(1);
  });
  it('refuses bad data with the usual coded errors', async () => {
    await expect(suggestGrid([])).rejects.toMatchObject({ code: 'ERR_EMPTY_INPUT' });
    await expect(suggestGrid([[1, NaN]])).rejects.toMatchObject({ code: 'ERR_NON_FINITE' });
  });
  it('SOM.forData sizes the grid and σ from the data, keeps given options, checks dims', async () => {
    const x = anisotropic(500, [3, 1]);
    const input = { data: x, shape: [500, 2] as [number, number] };
    const g = await suggestGrid(input);
    const som = await SOM.forData(input, { epochs: 3 });
    expect(som.config).toMatchObject({ rows: g.rows, cols: g.cols, dims: 2, epochs: 3, sigma: Math.max(g.rows, g.cols) / 2 });
    const fixed = await SOM.forData(input, { rows: 10 });
    expect(fixed.config.rows).toBe(10);
    expect(fixed.config.cols).toBe(Math.round(g.units / 10));
    await expect(SOM.forData(input, { dims: 3 })).rejects.toMatchObject({ code: 'ERR_SHAPE_MISMATCH' });
    const torch = await SOM.forData(input, { preset: 'torchsom' });
    expect(torch.config.sigma).toBe(1);
    som.dispose();
    fixed.dispose();
    torch.dispose();
  });
});

describe('gridSizeFor TSDoc examples', () => {
  it('give the documented sizes', () => {
    expect(gridSizeFor(150, 4.2, 0.24)).toMatchObject({ rows: 15, cols: 4, units: 60 });
    expect(gridSizeFor(1797, 1, 1)).toEqual({ rows: 14, cols: 15, units: 210, ratio: 1 });
  });
});
