/**
 * Test helpers for renderers: a tiny well-formedness check for the SVG/HTML strings we emit, and
 * parsers for the cell paths.
 */

const NAME = '[A-Za-z][\\w:.-]*';
const ATTR = new RegExp(`\\s+(${NAME})="([^"<]*)"`, 'g');
const TAG = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}="[^"<]*")*)\\s*(/?)>`);
const ENTITY = /&(?:amp|lt|gt|quot|#39|#\d+|#x[0-9a-fA-F]+);/g;

/**
 * Throws unless `xml` is well-formed for our output: every tag closes in order, attributes are
 * quoted, unique and hold no raw `<`, text and attributes use only known entities.
 * `voidTags` (HTML) need no closing tag; `rawTags` (HTML `style`, `script`) hold raw text.
 * @returns the number of elements
 */
export function checkWellFormed(xml: string, opts: { voidTags?: readonly string[]; rawTags?: readonly string[] } = {}): number {
  const voids = new Set(opts.voidTags ?? []);
  const raws = new Set(opts.rawTags ?? []);
  const stack: string[] = [];
  let i = 0;
  let count = 0;
  const s = xml.replace(/^<!doctype html>/i, '');
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const text = s.slice(i, lt === -1 ? s.length : lt);
    if (text.replace(ENTITY, '').includes('&')) throw new Error(`raw & in text near ${JSON.stringify(text.slice(0, 60))}`);
    if (lt === -1) break;
    const m = TAG.exec(s.slice(lt));
    if (m === null) throw new Error(`malformed tag at ${lt}: ${JSON.stringify(s.slice(lt, lt + 80))}`);
    const [all, close, name, attrs, selfClose] = m as unknown as [string, string, string, string, string];
    const seen = new Set<string>();
    for (const a of attrs.matchAll(ATTR)) {
      if (seen.has(a[1]!)) throw new Error(`duplicate attribute ${a[1]} in <${name}>`);
      seen.add(a[1]!);
      if (a[2]!.replace(ENTITY, '').includes('&')) throw new Error(`raw & in attribute ${a[1]} of <${name}>`);
    }
    i = lt + all.length;
    if (close === '/') {
      const top = stack.pop();
      if (top !== name) throw new Error(`</${name}> closes <${String(top)}> at ${lt}`);
    } else {
      count++;
      if (selfClose === '/' || voids.has(name.toLowerCase())) continue;
      if (raws.has(name.toLowerCase())) {
        const end = s.indexOf(`</${name}>`, i);
        if (end === -1) throw new Error(`<${name}> is never closed`);
        i = end + name.length + 3;
        continue;
      }
      stack.push(name);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed tags: ${stack.join(' > ')}`);
  return count;
}

/** Every `<path class="cell" …>` of an SVG: unit, attributes and the centroid of its path vertices. */
export function parseCells(svg: string): { unit: number; value: string; empty: boolean; fill: string; cx: number; cy: number; vertices: number }[] {
  const out: { unit: number; value: string; empty: boolean; fill: string; cx: number; cy: number; vertices: number }[] = [];
  for (const m of svg.matchAll(/<path class="cell"([^>]*)>/g)) {
    const attrs = Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    const pts = [...attrs.d!.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])] as const);
    out.push({
      unit: Number(attrs['data-unit']),
      value: attrs['data-value']!,
      empty: attrs['data-empty'] === 'true',
      fill: attrs.fill!,
      cx: pts.reduce((s, p) => s + p[0], 0) / pts.length,
      cy: pts.reduce((s, p) => s + p[1], 0) / pts.length,
      vertices: pts.length,
    });
  }
  return out;
}

/** Width and height attributes of the root `<svg>`. */
export function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]*\swidth="([\d.]+)" height="([\d.]+)"/.exec(svg);
  if (m === null) throw new Error('no root <svg width height>');
  return { width: Number(m[1]), height: Number(m[2]) };
}
