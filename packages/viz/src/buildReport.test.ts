import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SOM } from '@somkit/core';
import { wine } from '@somkit/datasets';
import { buildReport } from './buildReport.js';
import type { Report } from './Report.js';
import { checkWellFormed, parseCells } from './xmlCheck.test-util.js';

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

  it('leaves out the classification map without labels and the curves without history', async () => {
    const fresh = new SOM({ rows: 3, cols: 4, dims: ds.d, topology: 'hexagonal' });
    await fresh.initialize(data);
    const r = await buildReport({ som: fresh, data });
    expect(r.figures.map((f) => f.name)).toEqual(['u-matrix', 'hit-map', 'component-planes', 'codebook-pca']);
    expect(r.html).toContain('0 epochs');
    fresh.dispose();
  });
});
