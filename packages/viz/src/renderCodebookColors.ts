import type { Codebook } from '@somkit/plugin-api';
import { codebookRgb } from './codebookRgb.js';
import { drawMapPanel } from './drawMapPanel.js';
import type { MapStyle } from './MapStyle.js';
import { svgDocument } from './svgDocument.js';
import { validateGeometry } from './validateGeometry.js';

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

/**
 * The codebook as colours (fast.ai `show_weights`): the first three principal components of the
 * codebook → R, G, B, each min-max scaled to 0–255. Similar colours = similar prototypes.
 * @param codebook - weights [u, d] with the grid geometry
 */
export function renderCodebookColors(codebook: Codebook, style: Pick<MapStyle, 'title' | 'size' | 'hits'> = {}): string {
  validateGeometry(codebook, codebook.units, 'renderCodebookColors codebook');
  const { rgb, method, explained } = codebookRgb(codebook);
  const colors = Array.from({ length: codebook.units }, (_, k) => `#${hex2(rgb[3 * k]!)}${hex2(rgb[3 * k + 1]!)}${hex2(rgb[3 * k + 2]!)}`);
  const title = style.title ?? (method === 'pca' ? 'Codebook (PCA → RGB)' : 'Codebook (features → RGB)');
  const note =
    method === 'pca'
      ? `R, G, B = principal components 1–3 of the codebook (${explained!.map((e) => `${Math.round(e * 100)}%`).join(', ')} of variance)`
      : `R, G, B = features ${Array.from({ length: Math.min(3, codebook.dims) }, (_, i) => i).join(', ')} (min-max scaled)`;
  const drawn = drawMapPanel({
    rows: codebook.rows,
    cols: codebook.cols,
    topology: codebook.topology,
    values: new Float32Array(codebook.units),
    title,
    size: style.size ?? 480,
    scheme: 'rgb',
    colors,
    showValues: false,
    valueName: 'Colour',
    hits: style.hits,
    legend: 'none',
    note,
  });
  return svgDocument(drawn.body, drawn.width, drawn.height, title, 'codebook-colors');
}
