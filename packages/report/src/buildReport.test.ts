import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildMap, SOM } from '@somkit/core';
import { wine } from '@somkit/datasets';
import { buildReport, MAX_COMPONENT_PLANES, type ReportClusterResult } from './buildReport.js';
import { categoricalColor } from '@somkit/geometry';
import type { Report } from '@somkit/viz';
import { silhouetteSamples } from '@somkit/geometry';
import { widestFeatures } from '@somkit/viz';
import { checkWellFormed, parseCells } from '@somkit/testing';

/** Standardises columns of a [n, d] row-major matrix (wine's features span 0.1–1680). */
function standardize(x: Float32Array, n: number, d: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j]! / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + j]! - m) ** 2 / (n - 1);
    for (let i = 0; i < n; i++) out[i * d + j] = (x[i * d + j]! - m) / Math.sqrt(v);
  }
  return out;
}

describe('buildReport (wine, 8×8 rectangular)', () => {
  const ds = wine();
  const data = { data: standardize(ds.data, ds.n, ds.d), shape: [ds.n, ds.d] as const };
  let som: SOM;
  let report: Report;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    som = new SOM({ rows: 8, cols: 8, dims: ds.d, epochs: 6, sigma: 2.5, init: 'pca', seed: 3 });
    await som.fit(data);
    const before = tf.memory().numTensors;
    report = await buildReport({ som, data, labels: ds.target, featureNames: ds.featureNames, classNames: ds.classNames, title: 'Wine <SOM> & co', summary: { dataset: 'wine', seed: 3, 'learning rate': 0.5 } });
    expect(tf.memory().numTensors, 'tensor leak').toBe(before);
  });
  afterAll(() => som.dispose());

  it('has every figure, each a well-formed SVG with one cell per unit where it is a map', () => {
    expect(report.figures.map((f) => f.name)).toEqual(['training-curves', 'u-matrix', 'hit-map', 'classification', 'component-planes', 'codebook-pca']);
    for (const f of report.figures) {
      checkWellFormed(f.svg);
      expect(f.title.length).toBeGreaterThan(0);
      expect(f.svg).not.toMatch(/NaN/);
    }
    const cells = (name: string): number => parseCells(report.figures.find((f) => f.name === name)!.svg).length;
    expect(cells('u-matrix')).toBe(64);
    expect(cells('hit-map')).toBe(64);
    expect(cells('classification')).toBe(64);
    expect(cells('codebook-pca')).toBe(64);
    expect(cells('component-planes')).toBe(64 * 13);
  });

  it('is self-contained HTML: summary table, inline SVGs and CSS, nothing fetched', () => {
    const { html } = report;
    expect(checkWellFormed(html, { voidTags: ['meta'], rawTags: ['style', 'script'] })).toBeGreaterThan(100);
    expect(html).toContain('<title>Wine &lt;SOM&gt; &amp; co</title>');
    for (const k of ['dataset', 'wine', 'seed', 'learning rate', 'Grid', '8 × 8 rectangular', 'Quantization error (these samples)', 'Topographic error (these samples)']) expect(html).toContain(k);
    expect(html.match(/<svg /g)).toHaveLength(report.figures.length);
    for (const f of report.figures) expect(html).toContain(f.svg);
    // No network: the only URL is the SVG namespace; no fetch/XHR/imports/external refs.
    const urls = [...html.matchAll(/https?:\/\/[^\s"')]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).not.toMatch(/fetch\(|XMLHttpRequest|import\(|<link|src=|@import|url\(/);
    expect(html).not.toMatch(/NaN/);
    for (const name of ds.classNames) expect(html).toContain(name);
  });

  it('summary: QE, TE, grid, epochs and rule once each, when the caller gives them too (the demo does)', async () => {
    const summary = { dataset: 'wine', rule: som.config.rule, epochs: 6, QE: 0.123456, TE: 0.05, grid: '8 × 8 rectangular' };
    const r = await buildReport({ som, data, summary });
    const heads = [...r.html.matchAll(/<tr><th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]!);
    expect(heads.length).toBeGreaterThan(5);
    for (const gone of ['Quantization error (these samples)', 'Topographic error (these samples)', 'Grid']) expect(heads).not.toContain(gone);
    for (const k of ['QE', 'TE', 'grid', 'rule', 'epochs']) expect(heads.filter((h) => h === k)).toHaveLength(1);
    // The Training row keeps only what the caller did not say (the distance).
    const training = new RegExp('<tr><th scope="row">Training</th><td>([^<]*)</td>').exec(r.html)![1]!;
    expect(training).toBe(`distance ${som.plugins.distance.name}`);
    // Without caller rows the report's own rows are all there.
    const own = [...report.html.matchAll(/<tr><th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]!);
    expect(own).toEqual(expect.arrayContaining(['Grid', 'Training', 'Quantization error (these samples)', 'Topographic error (these samples)']));
  });

  it("u-matrix: the mean over each unit's neighbours (edges not darker), with what dark means in the caption", async () => {
    const mean = await buildMap(som, 'distance', { scaling: 'mean' });
    const cells = parseCells(report.figures.find((f) => f.name === 'u-matrix')!.svg);
    cells.forEach((c) => expect(Number(c.value)).toBeCloseTo(mean.values[c.unit]!, 5));
    expect(report.html).toContain('Dark = close to its neighbours');
    expect(report.html).toContain('edge units are not darker');
  });

  it('adds cluster map, elbow, silhouette and comparison figures when clusters are given', async () => {
    // Three column bands of the 8×8 map, two noise units: plain data shaped like cluster()'s result.
    const labels = Int32Array.from({ length: 64 }, (_, u) => (u === 9 || u === 50 ? -1 : Math.min(2, Math.floor((u % 8) / 3))));
    const metrics = { silhouette: 0.31, daviesBouldin: 1.2, calinskiHarabasz: 40, topologicalCoherence: 0.8, noiseRatio: 2 / 64, nNoise: 2 };
    const result: ReportClusterResult = { labels, k: 3, method: 'kmeans', space: 'weights', metrics, curve: { ks: [2, 3, 4, 5], values: [90, 60, 52, 47], criterion: 'inertia' } };
    const other = { method: 'gmm', k: 4, metrics: { ...metrics, silhouette: 0.2, noiseRatio: 0, nNoise: 0 } };
    const r = await buildReport({ som, data, clusters: { result, comparison: [result, other] } });
    const names = r.figures.map((f) => f.name);
    expect(names).toEqual(['training-curves', 'u-matrix', 'hit-map', 'component-planes', 'codebook-pca', 'cluster-map', 'elbow', 'silhouette', 'cluster-comparison']);
    for (const f of r.figures) {
      checkWellFormed(f.svg);
      expect(f.svg, f.name).not.toMatch(/NaN/);
    }
    const fig = (name: string): string => r.figures.find((f) => f.name === name)!.svg;
    const cells = parseCells(fig('cluster-map'));
    expect(cells).toHaveLength(64);
    expect(cells[1]!.fill).toBe(categoricalColor(0));
    expect(fig('elbow')).toContain('<g class="mark" data-x="3">');
    // Silhouette of the units in the clustering space (the codebook weights): one bar per non-noise unit.
    const sil = fig('silhouette');
    expect(sil.match(/<rect class="bar"/g)).toHaveLength(62);
    expect(sil).toContain('2 noise samples (label −1) left out');
    const cb = som.getCodebook();
    const s = [...silhouetteSamples({ data: cb.weights, shape: [64, cb.dims] }, labels)].filter(Number.isFinite);
    const mean = Number(/<g class="mean" data-value="([^"]+)"/.exec(sil)![1]);
    expect(mean).toBeCloseTo(s.reduce((a, b) => a + b, 0) / s.length, 5);
    expect(fig('cluster-comparison')).toContain('gmm (k = 4)');
    expect(r.html).toContain('kmeans, k = 3, on weights; silhouette 0.31');
    expect(r.html).toContain('id="fig-silhouette"');
    // In 'positions' space the silhouette is computed on the grid coordinates; no curve, no comparison → fewer figures.
    const pos = await buildReport({ som, data, clusters: { result: { labels, k: 3, method: 'kmeans', space: 'positions', metrics } } });
    expect(pos.figures.map((f) => f.name).slice(-2)).toEqual(['cluster-map', 'silhouette']);
    const sp = [...silhouetteSamples({ data: cb.coords, shape: [64, 2] }, labels)].filter(Number.isFinite);
    const posMean = Number(/<g class="mean" data-value="([^"]+)"/.exec(pos.figures.at(-1)!.svg)![1]);
    expect(posMean).toBeCloseTo(sp.reduce((a, b) => a + b, 0) / sp.length, 5);
  });

  it('columns: component planes in original units and a category map per categorical column', async () => {
    const u = som.units;
    const alcohol = Float32Array.from({ length: u }, (_, k) => 11 + k / u);
    const columns = [
      { name: 'alcohol %', type: 'numeric' as const, values: alcohol },
      { name: 'region', type: 'categorical' as const, categories: ['north', 'south <x>'], unitCategory: Int32Array.from({ length: u }, (_, k) => k % 2), share: new Float32Array(u).fill(0.75) },
    ];
    const r = await buildReport({ som, data, columns });
    const planes = r.figures.find((f) => f.name === 'component-planes')!;
    checkWellFormed(planes.svg);
    expect(planes.svg).toContain('alcohol %');
    expect(planes.svg).toContain('11.9'); // the colour bar is in the column's units
    const cat = r.figures.find((f) => f.name === 'category-0')!;
    checkWellFormed(cat.svg);
    expect(cat.svg).toContain('south &lt;x&gt;');
    expect(r.html).toContain('75 %');
    await expect(buildReport({ som, data, columns: [{ name: 'short', type: 'numeric', values: [1, 2] }] })).rejects.toThrow(/column 'short' has 2 values; expected one per unit/);
  });

  it('target: mean, std, score and rank maps of a regression target, missing values left out', async () => {
    // Alcohol (feature 0, z-scored) as the target: its per-unit mean equals buildMap's metric.
    const values = Float64Array.from({ length: ds.n }, (_, i) => (i % 17 === 0 ? NaN : ds.data[i * ds.d]!));
    const r = await buildReport({ som, data, target: { name: 'alcohol <%>', values } });
    const names = r.figures.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['target-mean', 'target-std', 'target-score', 'target-rank']));
    expect(names.indexOf('target-mean')).toBeLessThan(names.indexOf('codebook-pca'));
    const mean = r.figures.find((f) => f.name === 'target-mean')!;
    checkWellFormed(mean.svg);
    expect(mean.svg).toContain('alcohol &lt;%&gt;');
    expect(parseCells(mean.svg)).toHaveLength(som.units);
    for (const f of r.figures.filter((x) => x.name.startsWith('target-'))) checkWellFormed(f.svg);
    expect(r.html).toContain(`${Math.ceil(ds.n / 17)} samples with a missing alcohol &lt;%&gt; are left out`);
    await expect(buildReport({ som, data, target: { name: 'y', values: [1, 2] } })).rejects.toThrow(/target\.values of length 178/);
  });

  it('leaves out the classification map without labels and the curves without history', async () => {
    const fresh = new SOM({ rows: 3, cols: 4, dims: ds.d, topology: 'hexagonal' });
    await fresh.initialize(data);
    const r = await buildReport({ som: fresh, data });
    expect(r.figures.map((f) => f.name)).toEqual(['u-matrix', 'hit-map', 'component-planes', 'codebook-pca']);
    expect(r.html).toContain('0 epochs');
    fresh.dispose();
  });

  it('wide data: component planes of the most varying features only (default 24), named in the caption; a 50 × 2,000 report in seconds', async () => {
    const [n, d] = [50, 2000];
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = Math.sin(i * 0.7 + j) * (j % 100 === 3 ? 5 : 0.1);
    const wide = new SOM({ rows: 5, cols: 5, dims: d, init: 'pca', epochs: 3, rule: 'batch-map' });
    // The bound is the test's 60 s timeout (the full d × d eigen solve took over 120 s here); speed
    // itself is measured by the benchmark (bench/README.md, "somkit report on wide data"), not by a
    // wall-clock assertion that fails on a loaded machine.
    await wide.fit({ data: x, shape: [n, d] });
    const r = await buildReport({ som: wide, data: { data: x, shape: [n, d] } });
    const planes = r.figures.find((f) => f.name === 'component-planes')!;
    expect((planes.svg.match(/class="panel"/g) ?? []).length).toBe(MAX_COMPONENT_PLANES);
    expect(r.html).toContain(`Showing the ${MAX_COMPONENT_PLANES} of 2000 features`);
    // The 20 features built with the large amplitude (j % 100 = 3) are among the planes shown.
    expect(widestFeatures(wide.getCodebook(), MAX_COMPONENT_PLANES).filter((j) => j % 100 === 3)).toHaveLength(20);
    const some = await buildReport({ som: wide, data: { data: x, shape: [n, d] }, maxComponentPlanes: 3 });
    expect((some.figures.find((f) => f.name === 'component-planes')!.svg.match(/class="panel"/g) ?? []).length).toBe(3);
    await expect(buildReport({ som: wide, data: { data: x, shape: [n, d] }, maxComponentPlanes: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    wide.dispose();
  }, 60_000);
});
