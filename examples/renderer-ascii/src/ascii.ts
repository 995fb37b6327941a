import { API_VERSION, isJson, SomError, type MapData, type RenderStyle, type Renderer } from '@somkit/plugin-api';

/** Options of {@link ascii}. JSON only. */
export interface AsciiOptions {
  /** Characters from the lowest to the highest value, at least 2. Default `'.:-=+*#%@'`. */
  ramp?: string;
  /** Characters per cell (1–8). Default 2, which keeps cells roughly square in a terminal. */
  cellWidth?: number;
  /** Character for units without a value (NaN). Default `' '`. */
  empty?: string;
  /** Print the title line and the legend. Default true. */
  legend?: boolean;
}

/** The renderer {@link ascii} makes: synchronous, returns the text. */
export interface AsciiRenderer extends Renderer<string, AsciiOptions | undefined> {
  render(map: MapData, style?: RenderStyle): string;
}

/** The registry name of {@link ascii}. */
export const ASCII_RENDERER = 'somkit-renderer-ascii/ascii';

const DEFAULTS = { ramp: '.:-=+*#%@', cellWidth: 2, empty: ' ', legend: true } as const;

function invalid(message: string): never {
  throw new SomError('ERR_INVALID_CONFIG', `ascii renderer: ${message}`);
}

function settings(o: AsciiOptions | RenderStyle | undefined, base: Required<AsciiOptions>): Required<AsciiOptions> {
  const s = { ...base };
  if (o === undefined) return s;
  if (o.ramp !== undefined) {
    if (typeof o.ramp !== 'string' || [...o.ramp].length < 2) invalid(`ramp must be a string of at least 2 characters, got ${JSON.stringify(o.ramp)}.`);
    s.ramp = o.ramp;
  }
  if (o.cellWidth !== undefined) {
    if (typeof o.cellWidth !== 'number' || !Number.isInteger(o.cellWidth) || o.cellWidth < 1 || o.cellWidth > 8) invalid(`cellWidth must be an integer in [1, 8], got ${JSON.stringify(o.cellWidth)}.`);
    s.cellWidth = o.cellWidth;
  }
  if (o.empty !== undefined) {
    if (typeof o.empty !== 'string' || [...o.empty].length !== 1) invalid(`empty must be a single character, got ${JSON.stringify(o.empty)}.`);
    s.empty = o.empty;
  }
  if (o.legend !== undefined) {
    if (typeof o.legend !== 'boolean') invalid(`legend must be true or false, got ${JSON.stringify(o.legend)}.`);
    s.legend = o.legend;
  }
  return s;
}

function format(v: number): string {
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
}

/**
 * A text heat map of a per-unit map ({@link MapData}: hit map, U-matrix, component plane, …),
 * registry name `'somkit-renderer-ascii/ascii'`. Values are scaled linearly from their minimum to
 * their maximum onto the `ramp`; NaN units print as `empty`. Hexagonal maps shift odd rows by half
 * a cell (odd-r, as somkit's grids).
 *
 * ```ts
 * console.log(ascii().render(await buildMap(som, 'hit', { data })));
 * ```
 */
export function ascii(options?: AsciiOptions): AsciiRenderer {
  if (options !== undefined && (typeof options !== 'object' || options === null || !isJson(options))) {
    invalid('options must be a JSON object.');
  }
  const base = settings(options, DEFAULTS);
  const frozen = options === undefined ? undefined : (Object.freeze(JSON.parse(JSON.stringify(options))) as AsciiOptions);
  return Object.freeze({
    kind: 'renderer' as const,
    name: ASCII_RENDERER,
    apiVersion: API_VERSION,
    options: frozen,
    render(map: MapData, style?: RenderStyle): string {
      const s = settings(style, base);
      const ramp = [...s.ramp];
      const { rows, cols, values } = map;
      if (values.length !== rows * cols) {
        throw new SomError('ERR_SHAPE_MISMATCH', `ascii renderer: expected ${rows}·${cols} = ${rows * cols} values, got ${values.length}.`);
      }
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      let missing = false;
      for (const v of values) {
        if (Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        } else missing = true;
      }
      const top = ramp.length - 1;
      // A constant map prints at the top of the ramp: every unit has "the highest value".
      const level = (v: number): string => ramp[hi > lo ? Math.round(((v - lo) / (hi - lo)) * top) : top] as string;
      const lines: string[] = [];
      if (s.legend) lines.push(`${map.label ?? map.type} — ${rows}×${cols} ${map.topology}${map.pbc ? ', toroidal' : ''}`);
      const half = ' '.repeat(Math.floor(s.cellWidth / 2));
      for (let r = 0; r < rows; r++) {
        let line = map.topology === 'hexagonal' && r % 2 === 1 ? half : '';
        for (let c = 0; c < cols; c++) {
          const v = values[r * cols + c] as number;
          line += (Number.isFinite(v) ? level(v) : s.empty).repeat(s.cellWidth);
        }
        lines.push(line.trimEnd());
      }
      if (s.legend) {
        lines.push(lo <= hi ? `${ramp.join('')}  ${format(lo)} … ${format(hi)}` : '(no values)');
        if (missing) lines.push(`'${s.empty}' = no value`);
      }
      return lines.join('\n');
    },
  });
}
