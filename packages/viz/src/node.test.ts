import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSomError, type MapData } from '@somkit/plugin-api';
import { loadResvg, MAX_AUTO_PNG_WIDTH, svgToPng, writeReport } from './node.js';
import { renderClassificationMap } from './renderClassificationMap.js';
import { renderMap } from './renderMap.js';
import { renderTrainingCurves } from './renderTrainingCurves.js';
import type { Report } from './Report.js';

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian). */
function pngSize(png: Uint8Array): { width: number; height: number } {
  expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(new TextDecoder().decode(png.slice(12, 16))).toBe('IHDR');
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

const hex: MapData = { type: 'hit', values: Float32Array.from({ length: 30 }, (_, u) => u % 4), rows: 5, cols: 6, topology: 'hexagonal', pbc: false };

describe('@somkit/viz/node', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('svgToPng: a PNG of the requested width (IHDR), or the SVG width by default', async () => {
    const svg = renderMap(hex);
    const png = await svgToPng(svg, { width: 800 });
    const size = pngSize(png);
    expect(size.width).toBe(800);
    const own = /width="(\d+)" height="(\d+)"/.exec(svg)!;
    expect(size.height).toBe(Math.round((800 * Number(own[2])) / Number(own[1])));
    expect(pngSize(await svgToPng(svg)).width).toBe(Number(own[1]));
  });

  it('svgToPng: bad input and a missing rasteriser → SomError', async () => {
    await expect(svgToPng('hello')).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_INPUT'));
    await expect(svgToPng(renderMap(hex), { width: 0 })).rejects.toSatisfy((e) => isSomError(e, 'ERR_INVALID_INPUT'));
    const err = await loadResvg('@resvg/not-installed-here').catch((e: unknown) => e);
    expect(isSomError(err, 'ERR_BACKEND_UNSUPPORTED')).toBe(true);
    expect((err as Error).message).toMatch(/npm i @resvg\/resvg-js/);
  });

  it('writeReport: report.html and one PNG per figure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'somkit-viz-'));
    dirs.push(dir);
    const report: Report = {
      html: '<!doctype html><html><body>hi</body></html>',
      figures: [
        { name: 'hit-map', title: 'Hit map', svg: renderMap(hex) },
        { name: 'training curves', title: 'Curves', svg: renderTrainingCurves({ qe: [2, 1], te: [0.2, 0.1] }) },
      ],
    };
    const out = await writeReport(join(dir, 'sub'), report);
    expect(out.png.map((p) => p.slice(dir.length + 1))).toEqual(['sub/hit-map.png', 'sub/training-curves.png']);
    expect((await readdir(join(dir, 'sub'))).sort()).toEqual(['hit-map.png', 'report.html', 'training-curves.png']);
    expect(await readFile(out.html, 'utf8')).toBe(report.html);
    const svgWidth = Number(/width="(\d+)"/.exec(report.figures[0]!.svg)![1]);
    expect(pngSize(new Uint8Array(await readFile(out.png[0]!))).width).toBe(svgWidth * 2);
    const htmlOnly = await writeReport(join(dir, 'h'), report, { png: false });
    expect(htmlOnly.png).toEqual([]);
  });

  // Only root reaches Node 20's recursive-mkdir spin under /proc (others get EACCES at once); /proc is Linux-only.
  it.skipIf(!(process.platform === 'linux' && process.getuid?.() === 0))('writeReport: a directory under /proc fails at once with ERR_IO (no recursive-mkdir hang)', async () => {
    const report: Report = { html: '<html></html>', figures: [] };
    await expect(writeReport('/proc/somkit-no-such-dir/rep', report, { png: false })).rejects.toSatisfy((e) => isSomError(e, 'ERR_IO'));
  }, 5000);

  it('writeReport: 10,000 distinct labels still make a PNG (bounded legend); a very wide figure is capped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'somkit-viz-'));
    dirs.push(dir);
    const labels: MapData = { type: 'classification', values: Float32Array.from({ length: 10_000 }, (_, i) => i), rows: 100, cols: 100, topology: 'hexagonal', pbc: false, label: 'Class' };
    const names = Array.from({ length: 10_000 }, (_, i) => `label ${i}`);
    // Far too wide for the ×2 default (a stand-in for any oversized figure).
    const wide = `<svg xmlns="http://www.w3.org/2000/svg" width="30000" height="40" viewBox="0 0 30000 40"><rect width="30000" height="40" fill="#4e79a7"/></svg>`;
    const report: Report = {
      html: '<!doctype html><html><body>many</body></html>',
      figures: [
        { name: 'classification', title: 'Classification map', svg: renderClassificationMap(labels, names) },
        { name: 'wide', title: 'Wide', svg: wide },
      ],
    };
    const out = await writeReport(dir, report);
    const [cls, big] = await Promise.all(out.png.map(async (p) => pngSize(new Uint8Array(await readFile(p)))));
    expect(cls!.width).toBe(Number(/<svg[^>]*\swidth="(\d+)"/.exec(report.figures[0]!.svg)![1]) * 2);
    expect(cls!.width).toBeLessThanOrEqual(MAX_AUTO_PNG_WIDTH);
    expect(big!.width).toBe(MAX_AUTO_PNG_WIDTH);
  }, 60_000);
});
