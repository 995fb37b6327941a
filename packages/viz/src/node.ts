/**
 * Node-only entry (`@somkit/viz/node`): PNG rasterisation with the optional `@resvg/resvg-js`,
 * and writing a report to disk.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SomError } from '@somkit/plugin-api';
import { makeDirs } from '@somkit/plugin-api/node';
import { loadResvg } from './loadResvg.js';
import type { Report } from './Report.js';

/** Options of {@link svgToPng}. */
export interface SvgToPngOptions {
  /** Output width in px (height keeps the aspect ratio). Default: the SVG's own width. */
  width?: number;
}

/**
 * Rasterises an SVG string to PNG bytes with `@resvg/resvg-js` (white background, system fonts).
 * @throws SomError ERR_BACKEND_UNSUPPORTED when `@resvg/resvg-js` is not installed
 *
 * ```ts
 * await writeFile('umatrix.png', await svgToPng(renderUMatrix(map), { width: 1200 }));
 * ```
 */
export async function svgToPng(svg: string, options: SvgToPngOptions = {}): Promise<Uint8Array> {
  if (typeof svg !== 'string' || !svg.includes('<svg')) {
    throw new SomError('ERR_INVALID_INPUT', `svgToPng: expected an SVG document string, got ${typeof svg === 'string' ? `a string without <svg (${svg.slice(0, 40)}…)` : typeof svg}.`);
  }
  const { width } = options;
  if (width !== undefined && !(Number.isInteger(width) && width >= 1 && width <= 16384)) {
    throw new SomError('ERR_INVALID_INPUT', `svgToPng: width must be an integer in [1, 16384] px, got ${String(width)}.`);
  }
  const { Resvg } = await loadResvg();
  const r = new Resvg(svg, {
    background: '#ffffff',
    fitTo: width === undefined ? { mode: 'original' } : { mode: 'width', value: width },
    font: { loadSystemFonts: true, sansSerifFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(r.render().asPng());
}

/** Widest PNG {@link writeReport} makes on its own (without `pngWidth`): 8,192 px. */
export const MAX_AUTO_PNG_WIDTH = 8192;

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** Also write one `<name>.png` per figure. Default true. */
  png?: boolean;
  /** PNG width in px. Default: each figure's own width ×2 (sharp on high-DPI screens), at most {@link MAX_AUTO_PNG_WIDTH}. */
  pngWidth?: number;
}

/**
 * Writes `report.html` and, unless `png: false`, one `<name>.png` per figure into `dir`
 * (created if needed). The HTML is written first, so it exists even when PNG output fails.
 * @returns the paths written
 * @throws SomError ERR_IO on a file-system error; ERR_BACKEND_UNSUPPORTED without `@resvg/resvg-js`
 */
export async function writeReport(dir: string, report: Report, options: WriteReportOptions = {}): Promise<{ html: string; png: string[] }> {
  const html = join(dir, 'report.html');
  const png: string[] = [];
  // One level at a time: Node 20's recursive mkdir spins forever under /proc as root.
  await makeDirs(dir);
  try {
    await writeFile(html, report.html, 'utf8');
  } catch (e) {
    throw new SomError('ERR_IO', `writeReport: could not write ${html}: ${(e as Error).message}`, { cause: e });
  }
  if (options.png === false) return { html, png };
  for (const f of report.figures) {
    const name = f.name.replace(/[^A-Za-z0-9._-]+/g, '-');
    const m = /<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(f.svg);
    // ×2 for high-DPI screens, capped so a very wide figure still rasterises (and stays a sane file).
    const width = options.pngWidth ?? (m !== null ? Math.max(1, Math.min(MAX_AUTO_PNG_WIDTH, Math.round(Number(m[1]) * 2))) : undefined);
    const bytes = await svgToPng(f.svg, width === undefined ? {} : { width });
    const path = join(dir, `${name}.png`);
    try {
      await writeFile(path, bytes);
    } catch (e) {
      throw new SomError('ERR_IO', `writeReport: could not write ${path}: ${(e as Error).message}`, { cause: e });
    }
    png.push(path);
  }
  return { html, png };
}

export { loadResvg, type ResvgModule } from './loadResvg.js';
