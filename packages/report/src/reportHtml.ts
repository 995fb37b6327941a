import { escapeXml } from '@somkit/viz';
import type { ReportFigure } from '@somkit/viz';

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; color: #1d1d1f; background: #f5f6f8; }
header h1 { margin: 0 0 2px; font-size: 24px; }
header p { margin: 0 0 18px; color: #666; }
h2 { font-size: 16px; margin: 0 0 4px; }
.card { background: #fff; border: 1px solid #e2e4e8; border-radius: 8px; padding: 14px 16px; }
.summary { margin-bottom: 18px; max-width: 760px; }
.summary table { border-collapse: collapse; width: 100%; }
.summary th, .summary td { text-align: left; padding: 4px 10px 4px 0; border-bottom: 1px solid #eef0f3; vertical-align: top; }
.summary th { font-weight: 500; color: #555; width: 40%; }
.summary td { font-variant-numeric: tabular-nums; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 18px; align-items: start; }
figure { margin: 0; }
figure.wide { grid-column: 1 / -1; }
figcaption p { margin: 0 0 8px; color: #555; font-size: 13px; }
figure svg { display: block; max-width: 100%; height: auto; }
figure > svg > g > .figure-title { display: none; } /* the card's heading already names the figure; PNGs keep it */
svg .cell:hover { stroke: #000; stroke-width: 1.5px; }
#somkit-info { position: fixed; right: 16px; bottom: 16px; max-width: 320px; padding: 8px 10px; background: rgba(20,20,20,.88); color: #fff; font-size: 12px; border-radius: 6px; white-space: pre-line; display: none; pointer-events: none; }
@media print { body { background: #fff; } #somkit-info { display: none !important; } }
`;

// Optional hover read-out of the cell under the pointer; the report reads fine without it.
const SCRIPT = `(function(){var info=document.getElementById('somkit-info');if(!info)return;document.addEventListener('mouseover',function(e){var t=e.target;var c=t&&t.closest?t.closest('[data-unit]'):null;if(!c){info.style.display='none';return;}var tt=c.querySelector('title');info.textContent=tt?tt.textContent:'';info.style.display='block';});})();`;

/** A figure with its caption and layout hint, as the HTML shows it. */
export interface HtmlFigure extends ReportFigure {
  readonly caption: string;
  readonly wide?: boolean;
}

/**
 * Self-contained HTML: inline CSS and SVG, a summary table, one `<figure>` per figure, and a
 * small optional hover script (no network access, nothing fetched).
 */
export function reportHtml(title: string, summary: readonly (readonly [string, string])[], figures: readonly HtmlFigure[]): string {
  const rows = summary.map(([k, v]) => `<tr><th scope="row">${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('');
  const figs = figures
    .map(
      (f) =>
        `<figure class="card${f.wide === true ? ' wide' : ''}" id="fig-${escapeXml(f.name)}" data-figure="${escapeXml(f.name)}"><figcaption><h2>${escapeXml(f.title)}</h2><p>${escapeXml(f.caption)}</p></figcaption>${f.svg}</figure>`,
    )
    .join('\n');
  return (
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${escapeXml(title)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n` +
    `<header><h1>${escapeXml(title)}</h1><p>Self-organizing map report, made with somkit. Hover a cell for its unit, position and value.</p></header>\n` +
    `<section class="summary card"><h2>Summary</h2><table>${rows}</table></section>\n` +
    `<section class="figures">\n${figs}\n</section>\n<div id="somkit-info" aria-live="polite"></div>\n<script>${SCRIPT}</script>\n</body>\n</html>\n`
  );
}
