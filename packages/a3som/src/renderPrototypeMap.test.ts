import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { A3SOM } from './A3SOM.js';
import { drawPrototypeMap } from './drawPrototypeMap.js';
import { renderPrototypeMap } from './renderPrototypeMap.js';
import { blobs, expectSomError } from './testData.test-util.js';

let before = 0;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

const count = (s: string, re: RegExp): number => (s.match(re) ?? []).length;

describe('renderPrototypeMap', () => {
  it('draws two panels (classes + abstention marks, labelled/unlabelled hits) as standalone SVG', async () => {
    const data = blobs([[0, 0], [4, 0], [0, 4]], 30, 0.5, 11);
    const y = data.y.map((v, i) => (i % 4 === 0 ? v : -1));
    const m = new A3SOM({ inputDim: 2, nClasses: 3, n: 4, seed: 3, abstained: true, topology: 'hexagonal' });
    await expectSomError(renderPrototypeMap(m), 'ERR_NOT_FITTED');
    m.compile({ learningRates: { som: 0.05, dense: 0.02 } });
    await m.fit(data.x, y, { epochs: 10, batchSize: 16 });
    const svg = await renderPrototypeMap(m, { classNames: ['a', 'b', 'c'] });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(count(svg, /<g data-unit="\d+" data-class=/g)).toBe(16); // panel 1
    expect(count(svg, /<g data-unit="\d+" data-labelled=/g)).toBe(16); // panel 2
    expect(svg).toContain('>a<');
    expect(svg).toContain('no labelled hits');
    // Training hits: labelled + unlabelled = all 90 rows.
    const hits = [...svg.matchAll(/data-labelled="(\d+)" data-unlabelled="(\d+)"/g)].reduce((s, mm) => s + Number(mm[1]) + Number(mm[2]), 0);
    expect(hits).toBe(90);
    const labelled = [...svg.matchAll(/data-labelled="(\d+)"/g)].reduce((s, mm) => s + Number(mm[1]), 0);
    expect(labelled).toBe(y.filter((v) => v >= 0).length);
    // Far-away samples: their prototypes become novel regions (× marks), and they count as unlabelled hits.
    const far = blobs([[30, 30]], 10, 0.2, 1).x;
    const info = await m.inspectPrototypes({ x: far });
    expect(info.novelRegion.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const svg2 = drawPrototypeMap(info);
    expect(svg2).toContain('novel region');
    expect(count(svg2, /data-abstain="[^"]*novel region/g)).toBe(info.novelRegion.reduce((a, b) => a + b, 0));
    expect(Array.from(info.unlabelledHits).reduce((a, b) => a + b, 0)).toBe(10);
    m.dispose();
  });
});
