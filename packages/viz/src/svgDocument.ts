import { escapeXml } from './escapeXml.js';
import { px } from './formatNumber.js';

/** Font stack used by every figure (resvg and browsers fall back to any sans-serif). */
export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";

/** Outer margin of every figure, px. */
export const MARGIN = 10;

/**
 * Wraps drawn content of `width`×`height` px into a standalone SVG document with a white
 * background, a margin and an accessible `<title>`.
 */
export function svgDocument(body: string, width: number, height: number, title: string, kind: string): string {
  const w = Math.ceil(width + 2 * MARGIN);
  const h = Math.ceil(height + 2 * MARGIN);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="somkit-figure" data-figure="${escapeXml(kind)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="${escapeXml(FONT_FAMILY)}" font-size="11" role="img" aria-label="${escapeXml(title)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>` +
    `<g transform="translate(${px(MARGIN)},${px(MARGIN)})">${body}</g>` +
    `</svg>`
  );
}
