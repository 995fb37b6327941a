import { describe, expect, it } from 'vitest';
import { Grid } from '@somkit/geometry';
import { isSomError, type Codebook } from '@somkit/plugin-api';
import { categoricalColor, NOISE_COLOR } from '@somkit/geometry';
import { clusterScore } from './clusterScore.js';
import { renderClusterComparison, type ClusterComparisonEntry } from './renderClusterComparison.js';
import { renderClusterMap } from './renderClusterMap.js';
import { renderElbowCurve } from './renderElbowCurve.js';
import { renderSilhouette } from './renderSilhouette.js';
import { silhouetteSamples } from '@somkit/geometry';
import { checkWellFormed, parseCells } from '@somkit/testing';

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

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Attributes of every element with the given class (first class token match). */
function elements(svg: string, tag: string, cls: string): Record<string, string>[] {
  const re = new RegExp(`<${tag} class="${cls}"([^>]*)>`, 'g');
  return [...svg.matchAll(re)].map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
}

/** Blobs around 3 centres in 2-D, with two noise points (−1). */
function blobs(): { points: number[][]; labels: Int32Array } {
  const r = rng(7);
  const centres = [[0, 0], [6, 1], [2, 7]] as const;
  const points: number[][] = [];
  const labels: number[] = [];
  centres.forEach((c, k) => {
    for (let i = 0; i < 6 + 2 * k; i++) {
      points.push([c[0] + 2 * r() - 1, c[1] + 2 * r() - 1]);
      labels.push(k);
    }
  });
  points.push([3, 3], [-4, 5]);
  labels.push(-1, -1);
  return { points, labels: Int32Array.from(labels) };
}

describe('silhouetteSamples', () => {
  it('matches a hand-computed 1-D example (noise → NaN, singleton → 0)', () => {
    // Clusters {0, 2}, {6, 10}, {30}; 3 is noise.
    //   0: a = 2, b = (6 + 10) / 2 = 8 → 6/8      2: a = 2, b = (4 + 8) / 2 = 6 → 4/6
    //   6: a = 4, b = (6 + 4) / 2 = 5 → 1/5      10: a = 4, b = (10 + 8) / 2 = 9 → 5/9
    const s = silhouetteSamples([[0], [2], [6], [10], [3], [30]], [0, 0, 1, 1, -1, 2]);
    const want = [0.75, 2 / 3, 0.2, 5 / 9, Number.NaN, 0];
    want.forEach((w, i) => (Number.isNaN(w) ? expect(s[i]).toBeNaN() : expect(s[i]).toBeCloseTo(w, 12)));
    // The { data, shape } form and Int32Array labels give the same.
    const flat = silhouetteSamples({ data: Float32Array.from([0, 2, 6, 10, 3, 30]), shape: [6, 1] }, Int32Array.from([0, 0, 1, 1, -1, 2]));
    expect([...flat].map((v) => (Number.isNaN(v) ? 'nan' : v.toFixed(12)))).toEqual([...s].map((v) => (Number.isNaN(v) ? 'nan' : v.toFixed(12))));
    // Mean over [[0],[1],[10],[11]] is silhouetteScore's documented ≈ 0.9.
    const two = silhouetteSamples([[0], [1], [10], [11]], [0, 0, 1, 1]);
    expect(two.reduce((a, b) => a + b, 0) / 4).toBeCloseTo((9.5 / 10.5 + 8.5 / 9.5) / 2, 12);
  });

  it('matches a direct per-point computation on 2-D data; undefined cases are NaN', () => {
    const { points, labels } = blobs();
    const s = silhouetteSamples(points, labels);
    const dist = (i: number, j: number): number => Math.hypot(points[i]![0]! - points[j]![0]!, points[i]![1]! - points[j]![1]!);
    for (let i = 0; i < points.length; i++) {
      if (labels[i]! < 0) {
        expect(s[i]).toBeNaN();
        continue;
      }
      const meanTo = (c: number): number => {
        const js = [...labels.keys()].filter((j) => j !== i && labels[j] === c);
        return js.reduce((t, j) => t + dist(i, j), 0) / js.length;
      };
      const a = meanTo(labels[i]!);
      const b = Math.min(...[0, 1, 2].filter((c) => c !== labels[i]).map(meanTo));
      expect(s[i]).toBeCloseTo((b - a) / Math.max(a, b), 10);
    }
    expect([...silhouetteSamples([[0], [1], [2]], [0, 0, -1])].every(Number.isNaN)).toBe(true); // one cluster
    expect([...silhouetteSamples([[0], [1]], [0, 1])].every(Number.isNaN)).toBe(true); // k = n
    expectSomError(() => silhouetteSamples([[0], [1]], [0]), 'ERR_SHAPE_MISMATCH', /expected 2 labels/);
    expectSomError(() => silhouetteSamples([[0], [Number.NaN]], [0, 1]), 'ERR_NON_FINITE');
    expectSomError(() => silhouetteSamples([[0, 1], [1]], [0, 1]), 'ERR_SHAPE_MISMATCH');
    expectSomError(() => silhouetteSamples([[0], [1]], [0, 0.5]), 'ERR_INVALID_INPUT', /integer labels/);
  });
});

describe('renderSilhouette', () => {
  it('one bar per non-noise sample, in the cluster-map colours, sorted per cluster; mean line; noise stated', () => {
    const { points, labels } = blobs();
    const svg = renderSilhouette(points, labels);
    expect(checkWellFormed(svg)).toBeGreaterThan(30);
    expect(svg).not.toMatch(/NaN/);
    const bars = elements(svg, 'rect', 'bar');
    const nonNoise = [...labels].filter((l) => l >= 0).length;
    expect(bars).toHaveLength(nonNoise);
    expect(new Set(bars.map((b) => Number(b['data-sample'])))).toEqual(new Set([...labels.keys()].filter((i) => labels[i]! >= 0)));
    for (const b of bars) expect(b.fill).toBe(categoricalColor(Number(b['data-cluster'])));
    expect(bars.some((b) => b.fill === NOISE_COLOR)).toBe(false);
    // Same colour as the cluster map for the same label.
    const g = new Grid({ rows: 1, cols: 4, topology: 'rectangular', pbc: false });
    const cb: Codebook = { weights: new Float32Array(4), units: 4, dims: 1, rows: 1, cols: 4, coords: g.coords, topology: 'rectangular', pbc: false };
    const mapFills = parseCells(renderClusterMap(Int32Array.from([0, 1, 2, -1]), cb)).map((c) => c.fill);
    expect(mapFills.slice(0, 3)).toEqual([0, 1, 2].map((c) => bars.find((b) => b['data-cluster'] === String(c))!.fill));
    // Bars follow the values, sorted high → low inside each cluster; clusters top to bottom.
    const s = silhouetteSamples(points, labels);
    for (const b of bars) expect(Number(b['data-value'])).toBeCloseTo(s[Number(b['data-sample'])]!, 5);
    const ys = bars.map((b) => Number(b.y));
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    for (const c of [0, 1, 2]) {
      const v = bars.filter((b) => b['data-cluster'] === String(c)).map((b) => Number(b['data-value']));
      expect(v).toEqual([...v].sort((a, b) => b - a));
    }
    // Mean line at the mean of the non-noise samples, dashed.
    const mean = [...s].filter(Number.isFinite).reduce((a, b) => a + b, 0) / nonNoise;
    const meanG = elements(svg, 'g', 'mean');
    expect(meanG).toHaveLength(1);
    expect(Number(meanG[0]!['data-value'])).toBeCloseTo(mean, 5);
    expect(svg).toMatch(/<line class="mean-line"[^>]*stroke-dasharray=/);
    expect(svg).toContain(`mean ${Number(mean.toPrecision(3))}`);
    // Legend: every cluster plus noise; the noise is stated.
    expect([...svg.matchAll(/class="legend-entry" data-label="([^"]*)"/g)].map((m) => m[1])).toEqual(['cluster 0', 'cluster 1', 'cluster 2', 'noise']);
    expect(svg).toContain('2 noise samples (label −1) left out');
    expect(svg).toContain('>silhouette coefficient</text>');
    expect(elements(svg, 'g', 'silhouette-cluster').map((c) => c['data-size'])).toEqual(['6', '8', '10']);
  });

  it('precomputed values (points not needed), negative values left of zero, names, no noise note', () => {
    const labels = Int32Array.from([1, 1, 0, 0, 0]);
    const svg = renderSilhouette(null, labels, { values: [0.4, -0.5, 0.9, 0.1, 0.6], classNames: ['low', 'high'] });
    checkWellFormed(svg);
    const bars = elements(svg, 'rect', 'bar');
    expect(bars.map((b) => b['data-value'])).toEqual(['0.9', '0.6', '0.1', '0.4', '-0.5']);
    const zero = [...svg.matchAll(/<line class="axis" x1="([\d.]+)" y1="44"/g)].map((m) => Number(m[1]));
    expect(zero).toHaveLength(1);
    const neg = bars[4]!;
    expect(Number(neg.x) + Number(neg.width)).toBeCloseTo(zero[0]!, 1);
    expect([...svg.matchAll(/class="legend-entry" data-label="([^"]*)"/g)].map((m) => m[1])).toEqual(['low', 'high']);
    expect(svg).not.toContain('noise');
    expect(svg).not.toMatch(/NaN/);
  });

  it('fewer than 2 clusters: a message, no bars; bad input → SomError', () => {
    const one = renderSilhouette([[0], [1], [5]], [0, 0, -1]);
    checkWellFormed(one);
    expect(one).toContain('at least 2 clusters; found 1');
    expect(one).toContain('1 noise sample (label −1) left out');
    expect(elements(one, 'rect', 'bar')).toHaveLength(0);
    expect(one).not.toMatch(/NaN/);
    expectSomError(() => renderSilhouette([[0], [1]], [0, 1, 1]), 'ERR_SHAPE_MISMATCH');
    expectSomError(() => renderSilhouette(null, [0, 1]), 'ERR_INVALID_INPUT', /style\.values/);
    expectSomError(() => renderSilhouette(null, [0, 0, 1, 1], { values: [0.1, 0.2, Number.NaN, 0.3] }), 'ERR_NON_FINITE');
    expectSomError(() => renderSilhouette(null, [0, 0, 1, 1], { values: [0.1, 0.2, 3, 0.3] }), 'ERR_INVALID_INPUT', /\[−1, 1\]/);
  });
});

describe('renderElbowCurve', () => {
  const ks = [2, 3, 4, 5, 6, 7, 8];
  it('inertia: one line over k with axes and the chosen k marked', () => {
    const svg = renderElbowCurve({ ks, values: [120, 60, 22, 19, 17, 15.5, 14], criterion: 'inertia' }, { chosenK: 4 });
    expect(checkWellFormed(svg)).toBeGreaterThan(20);
    expect(svg).not.toMatch(/NaN/);
    expect(svg).toContain('data-figure="elbow"');
    expect(svg.match(/<polyline class="series"/g)).toHaveLength(1);
    expect(svg.match(/class="axis"/g)).toHaveLength(2);
    expect(svg.match(/<circle cx/g)).toHaveLength(7);
    expect(svg).toContain('<g class="mark" data-x="4">');
    expect(svg.match(/class="mark-point"/g)).toHaveLength(1);
    expect(svg).toContain('>k = 4</text>');
    expect(svg).toContain('chosen k = 4');
    expect(svg).toContain('>inertia</text>');
    expect(svg).toContain('>number of clusters k</text>');
    const xTicks = [...svg.matchAll(/class="tick-label" x="[\d.]+" y="[\d.]+" text-anchor="middle"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(xTicks).toEqual(ks.map(String));
    // The marker sits at the k = 4 point.
    const mark = /<g class="mark" data-x="4"><line x1="([\d.]+)"/.exec(svg)!;
    const ring = /<circle class="mark-point" cx="([\d.]+)"/.exec(svg)!;
    expect(Number(mark[1])).toBeCloseTo(Number(ring[1]), 2);
  });

  it('bic: y label BIC, default mark at the lowest value; NaN values skipped; no mark without chosenK for inertia', () => {
    const bic = renderElbowCurve({ ks: [1, 2, 3, 4], values: [-100, -180, -150, Number.NaN], criterion: 'bic' });
    checkWellFormed(bic);
    expect(bic).not.toMatch(/NaN/);
    expect(bic).toContain('>BIC</text>');
    expect(bic).toContain('lower is better');
    expect(bic).toContain('<g class="mark" data-x="2">');
    expect(bic.match(/<circle cx/g)).toHaveLength(3);
    const plain = renderElbowCurve({ ks, values: ks.map((k) => 100 / k), criterion: 'inertia' });
    expect(plain).not.toContain('class="mark"');
    // A k outside the curve is not drawn; a single k still gives an axis.
    expect(renderElbowCurve({ ks: [3], values: [5], criterion: 'inertia' }, { chosenK: 9 })).not.toContain('class="mark"');
    checkWellFormed(renderElbowCurve({ ks: [], values: [], criterion: 'inertia' }));
    expectSomError(() => renderElbowCurve({ ks: [1, 2], values: [1], criterion: 'inertia' }), 'ERR_SHAPE_MISMATCH');
    expectSomError(() => renderElbowCurve({ ks: [1], values: [1], criterion: 'aic' as never }), 'ERR_INVALID_INPUT', /criterion/);
    expectSomError(() => renderElbowCurve(undefined as never), 'ERR_INVALID_INPUT');
  });
});

describe('renderClusterComparison', () => {
  const results: ClusterComparisonEntry[] = [
    { method: 'kmeans', k: 3, metrics: { silhouette: 0.52, daviesBouldin: 0.71, calinskiHarabasz: 140.2, topologicalCoherence: 0.81, noiseRatio: 0, nNoise: 0 } },
    { method: 'gmm', k: 4, metrics: { silhouette: 0.41, daviesBouldin: 0.93, calinskiHarabasz: 151, topologicalCoherence: 0.77, noiseRatio: 0, nNoise: 0 } },
    { method: 'hdbscan', k: 1, metrics: { silhouette: Number.NaN, daviesBouldin: Number.NaN, calinskiHarabasz: Number.NaN, topologicalCoherence: 1, noiseRatio: 0.125, nNoise: 8 } },
  ];

  it('a row per result, a column per score, the best marked, lower-is-better stated, NaN as –', () => {
    const svg = renderClusterComparison(results);
    expect(checkWellFormed(svg)).toBeGreaterThan(30);
    expect(svg).not.toMatch(/NaN/);
    expect(svg).toContain('data-figure="cluster-comparison"');
    // The best row by the score rule (kmeans: 0.52 × (1 − 0)) carries a ★.
    expect([...svg.matchAll(/class="row-label[^"]*" data-row="\d+"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['★ kmeans (k = 3)', 'gmm (k = 4)', 'hdbscan (k = 1)']);
    for (const h of ['Score', 'Silhouette', 'Davies–Bouldin', 'Calinski–Harabasz', 'Topol. coherence', 'Noise share']) expect(svg).toContain(`>${h}</text>`);
    const dbHead = /<g class="column-head" data-metric="daviesBouldin">.*?<\/g>/.exec(svg)![0];
    expect(dbHead).toContain('lower is better');
    expect(svg).toContain('Davies–Bouldin and noise share: lower is better');
    const col = (key: string): string => new RegExp(`<g class="column" data-metric="${key}">.*?</g>`).exec(svg)![0];
    // 6 columns × 3 rows minus the 4 undefined hdbscan scores (its score too); noise shares of 0 are zero-width bars.
    expect(svg.match(/<rect class="bar/g)).toHaveLength(14);
    expect(col('score')).toMatch(/<rect class="bar best" data-row="0"/);
    expect(col('silhouette').match(/class="value missing"/g)).toHaveLength(1);
    expect(col('silhouette')).toMatch(/<rect class="bar best" data-row="0"/);
    expect(col('daviesBouldin')).toMatch(/<rect class="bar best" data-row="0"/);
    expect(col('calinskiHarabasz')).toMatch(/<rect class="bar best" data-row="1"/);
    expect(col('topologicalCoherence')).toMatch(/<rect class="bar best" data-row="2"/);
    expect(col('noiseRatio')).toMatch(/<rect class="bar best" data-row="0"/);
    expect(col('noiseRatio')).toContain('>12.5 %</text>');
    // Identical values mark no best.
    const same = renderClusterComparison([results[0]!, { ...results[0]!, method: 'kmeans', label: 'again' }]);
    expect(same).not.toContain('class="bar best"');
    expect(same).toContain('>again</text>');
    expectSomError(() => renderClusterComparison([]), 'ERR_EMPTY_INPUT');
    expectSomError(() => renderClusterComparison([{ k: 2 } as never]), 'ERR_INVALID_INPUT', /result 0/);
  });

  it('best = highest silhouette × (1 − noise share): HDBSCAN with 48 % noise is not best; the rule is stated', () => {
    // The digits demo's numbers: HDBSCAN had the highest silhouette over its non-noise half.
    const demo: ClusterComparisonEntry[] = [
      { method: 'kmeans', k: 3, metrics: { silhouette: 0.2285, daviesBouldin: 1.651, calinskiHarabasz: 47.8, topologicalCoherence: 0.7486, noiseRatio: 0, nNoise: 0 } },
      { method: 'gmm', k: 3, metrics: { silhouette: 0.209, daviesBouldin: 1.707, calinskiHarabasz: 44.4, topologicalCoherence: 0.7498, noiseRatio: 0, nNoise: 0 } },
      { method: 'hdbscan', k: 2, metrics: { silhouette: 0.3029, daviesBouldin: 1.351, calinskiHarabasz: 31.5, topologicalCoherence: 0.7507, noiseRatio: 94 / 196, nNoise: 94 } },
    ];
    expect(clusterScore(demo[2]!.metrics)).toBeCloseTo(0.3029 * (102 / 196), 10);
    expect(clusterScore(demo[0]!.metrics)).toBe(0.2285);
    expect(clusterScore({ ...demo[0]!.metrics, silhouette: Number.NaN })).toBeNaN();
    const svg = renderClusterComparison(demo);
    checkWellFormed(svg);
    const best = [...svg.matchAll(/class="row-label best" data-row="(\d+)"/g)].map((m) => Number(m[1]));
    expect(best).toEqual([0]);
    expect(svg).toMatch(/class="row-label best" data-row="0"[^>]*font-weight="700"[^>]*>★ kmeans \(k = 3\)</);
    // Bold text is the verdict only: the score of the best row, not HDBSCAN's raw silhouette.
    expect([...svg.matchAll(/<text class="value best" data-row="(\d+)"/g)].map((m) => m[1])).toEqual(['0']);
    const col = (key: string): string => new RegExp(`<g class="column" data-metric="${key}">.*?</g>`).exec(svg)![0];
    expect(col('score')).toMatch(/<rect class="bar best" data-row="0"/);
    // The column's own best is still shown (dark bar), described as such.
    expect(col('silhouette')).toMatch(/<rect class="bar best" data-row="2"/);
    expect(svg).toContain('★ Best: highest score = silhouette × (1 − noise share), i.e. noise units count as silhouette 0.');
    expect(svg).toContain('Dark bar: best value of its column.');
    // Tied best rows are both marked; one row alone or all rows equal: no verdict.
    const tie = renderClusterComparison([demo[0]!, { ...demo[0]!, method: 'gmm' }, demo[2]!]);
    expect([...tie.matchAll(/class="row-label best" data-row="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([0, 1]);
    expect(renderClusterComparison([demo[2]!])).not.toContain('class="row-label best"');
  });

  it('names the space when the rows differ in it', () => {
    const svg = renderClusterComparison([
      { ...results[0]!, space: 'weights' },
      { ...results[0]!, space: 'combined' },
    ]);
    expect(svg).toContain('kmeans (k = 3), weights');
    expect(svg).toContain('kmeans (k = 3), combined');
  });
});
