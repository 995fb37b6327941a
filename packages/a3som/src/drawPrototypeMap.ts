import { categoricalColor, cellLayout } from '@somkit/geometry';
import type { PrototypeInfo } from './A3SOM.js';

/** Style of the prototype-map figure. */
export interface PrototypeMapStyle {
  /** Names of the class ids (legend, tooltips). Default 'class 0', 'class 1', … */
  classNames?: readonly string[];
  /** Largest side of each panel's cell area, px. Default 360. */
  size?: number;
  /** Figure title. Default 'A3SOM prototype map'. */
  title?: string;
}

const MARGIN = 10;
const TITLE_H = 26;
const GAP = 36;
const LABELLED = '#2f4b7c';
const UNLABELLED = '#b9c7dc';
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function n2(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

/** Pie sector from the top, clockwise, covering `share` ∈ (0, 1) of a circle. */
function sector(cx: number, cy: number, r: number, share: number): string {
  const a = 2 * Math.PI * share;
  const x = cx + r * Math.sin(a);
  const y = cy - r * Math.cos(a);
  return `M${n2(cx)} ${n2(cy)}L${n2(cx)} ${n2(cy - r)}A${n2(r)} ${n2(r)} 0 ${share > 0.5 ? 1 : 0} 1 ${n2(x)} ${n2(y)}Z`;
}

/**
 * Draws the two-panel prototype map as a standalone SVG string (no DOM):
 * left, each prototype coloured by the class the model predicts for the prototype vector, with
 * abstention regions marked (hatched: no labelled training hit; ×: novel region, i.e. most hits
 * beyond the prototype's local distance threshold; ring: ambiguous region, mixed labelled hits);
 * right, a hit map whose pies show labelled vs unlabelled hits (area ∝ hits).
 */
export function drawPrototypeMap(info: PrototypeInfo, style: PrototypeMapStyle = {}): string {
  const size = style.size ?? 360;
  const names = style.classNames ?? Array.from({ length: info.nClasses }, (_, c) => `class ${c}`);
  const nameOf = (c: number): string => names[c] ?? `class ${c}`;
  const layout = cellLayout({ rows: info.rows, cols: info.cols, topology: info.topology }, size);
  const u = layout.units;
  const s = layout.scale;
  const pw = layout.width;
  const ph = layout.height;
  const x2 = pw + GAP;
  const hits = Array.from({ length: u }, (_, k) => info.labelledHits[k]! + info.unlabelledHits[k]!);
  const maxHits = Math.max(1, ...hits);
  const parts: string[] = [];
  parts.push(
    `<defs><pattern id="a3som-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff" fill-opacity="0.55"/><line x1="0" y1="0" x2="0" y2="6" stroke="#333333" stroke-width="1.6"/></pattern></defs>`,
  );
  // Panel titles.
  parts.push(`<text x="${n2(pw / 2)}" y="16" text-anchor="middle" font-size="13" font-weight="600">Prototypes: predicted class &amp; abstention</text>`);
  parts.push(`<text x="${n2(x2 + pw / 2)}" y="16" text-anchor="middle" font-size="13" font-weight="600">Hits: labelled vs unlabelled</text>`);
  // Panel 1: prototypes coloured by predicted class, abstention marks.
  parts.push(`<g class="a3som-prototypes" transform="translate(0,${TITLE_H})">`);
  for (let k = 0; k < u; k++) {
    const [cx, cy] = layout.center(k);
    const cls = info.predictedClass[k]!;
    const row = Math.floor(k / info.cols);
    const col = k % info.cols;
    const p = info.probabilities[k * info.nClasses + cls]!;
    const flags = [info.noLabelledHits[k] ? 'no labelled hits' : '', info.novelRegion[k] ? 'novel region' : '', info.ambiguousRegion[k] ? 'ambiguous region' : ''].filter((f) => f !== '');
    const tip = `unit ${k} (row ${row}, col ${col}): ${nameOf(cls)} (p = ${p.toFixed(2)}); labelled hits ${info.labelledHits[k]}, unlabelled ${info.unlabelledHits[k]}${flags.length > 0 ? '; ' + flags.join(', ') : ''}`;
    parts.push(`<g data-unit="${k}" data-class="${cls}"${flags.length > 0 ? ` data-abstain="${esc(flags.join(','))}"` : ''}><title>${esc(tip)}</title>`);
    parts.push(`<path d="${layout.path(k)}" fill="${categoricalColor(cls)}" stroke="#ffffff" stroke-width="1"/>`);
    if (info.noLabelledHits[k]) parts.push(`<path d="${layout.path(k)}" fill="url(#a3som-hatch)" stroke="none"/>`);
    if (info.novelRegion[k]) {
      const r = s * 0.28;
      parts.push(`<path d="M${n2(cx - r)} ${n2(cy - r)}L${n2(cx + r)} ${n2(cy + r)}M${n2(cx + r)} ${n2(cy - r)}L${n2(cx - r)} ${n2(cy + r)}" stroke="#111111" stroke-width="${n2(Math.max(1.5, s / 14))}" fill="none"/>`);
    }
    if (info.ambiguousRegion[k]) parts.push(`<circle cx="${n2(cx)}" cy="${n2(cy)}" r="${n2(s * 0.2)}" fill="none" stroke="#111111" stroke-width="${n2(Math.max(1.2, s / 18))}"/>`);
    parts.push('</g>');
  }
  parts.push('</g>');
  // Panel 2: hit pies.
  parts.push(`<g class="a3som-hits" transform="translate(${n2(x2)},${TITLE_H})">`);
  for (let k = 0; k < u; k++) {
    const [cx, cy] = layout.center(k);
    const total = hits[k]!;
    const lab = info.labelledHits[k]!;
    parts.push(`<g data-unit="${k}" data-labelled="${lab}" data-unlabelled="${info.unlabelledHits[k]}"><title>${esc(`unit ${k}: ${lab} labelled, ${info.unlabelledHits[k]} unlabelled`)}</title>`);
    parts.push(`<path d="${layout.path(k)}" fill="#f4f4f4" stroke="#c4c4c4" stroke-width="1"/>`);
    if (total > 0) {
      const r = Math.max(1.5, 0.45 * s * Math.sqrt(total / maxHits));
      const share = lab / total;
      if (share <= 0 || share >= 1) parts.push(`<circle cx="${n2(cx)}" cy="${n2(cy)}" r="${n2(r)}" fill="${share >= 1 ? LABELLED : UNLABELLED}"/>`);
      else {
        parts.push(`<circle cx="${n2(cx)}" cy="${n2(cy)}" r="${n2(r)}" fill="${UNLABELLED}"/>`);
        parts.push(`<path d="${sector(cx, cy, r, share)}" fill="${LABELLED}"/>`);
      }
    }
    parts.push('</g>');
  }
  parts.push('</g>');
  // Legends.
  let ly = TITLE_H + ph + 18;
  let lx = 0;
  const legend: string[] = [];
  const item = (swatch: string, label: string): void => {
    const w = 22 + label.length * 6.6;
    if (lx + w > pw * 2 + GAP && lx > 0) {
      lx = 0;
      ly += 18;
    }
    legend.push(`<g transform="translate(${n2(lx)},${n2(ly)})">${swatch}<text x="18" y="10">${esc(label)}</text></g>`);
    lx += w + 10;
  };
  for (let c = 0; c < info.nClasses; c++) item(`<rect width="12" height="12" fill="${categoricalColor(c)}"/>`, nameOf(c));
  item(`<rect width="12" height="12" fill="#cccccc"/><rect width="12" height="12" fill="url(#a3som-hatch)"/>`, 'no labelled hits');
  item(`<path d="M1 1L11 11M11 1L1 11" stroke="#111111" stroke-width="2"/>`, 'novel region');
  item(`<circle cx="6" cy="6" r="4.5" fill="none" stroke="#111111" stroke-width="1.5"/>`, 'ambiguous region');
  item(`<circle cx="6" cy="6" r="6" fill="${LABELLED}"/>`, 'labelled hits');
  item(`<circle cx="6" cy="6" r="6" fill="${UNLABELLED}"/>`, 'unlabelled hits');
  parts.push(...legend);
  const title = style.title ?? 'A3SOM prototype map';
  const width = Math.ceil(pw * 2 + GAP + 2 * MARGIN);
  const height = Math.ceil(ly + 18 + 2 * MARGIN);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="somkit-figure" data-figure="a3som-prototype-map" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${esc(FONT)}" font-size="11" role="img" aria-label="${esc(title)}">` +
    `<title>${esc(title)}</title><rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>` +
    `<g transform="translate(${MARGIN},${MARGIN})">${parts.join('')}</g></svg>`
  );
}
