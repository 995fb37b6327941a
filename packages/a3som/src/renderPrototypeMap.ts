import type { MatrixInput } from '@somkit/core';
import type { A3SOM } from './A3SOM.js';
import { drawPrototypeMap, type PrototypeMapStyle } from './drawPrototypeMap.js';
import type { LabelInput } from './toTargets.js';

/**
 * The A3SOM prototype map as an SVG string (two panels, via `@somkit/geometry`'s cell layout and
 * colours): prototypes coloured by predicted class with abstention regions marked, and a hit map
 * of labelled vs unlabelled samples.
 * @param model - a fitted A3SOM
 * @param options - `x` [n, d] and `y` (−1/null = unlabelled) to count hits on (default: the
 *   training rows), plus style
 * @throws SomError ERR_NOT_FITTED | ERR_SHAPE_MISMATCH | ERR_NON_FINITE | ERR_INVALID_INPUT
 *
 * ```ts
 * const svg = await renderPrototypeMap(model, { x: xTest, classNames: ds.classNames });
 * ```
 */
export async function renderPrototypeMap(model: A3SOM, options: { x?: MatrixInput; y?: LabelInput } & PrototypeMapStyle = {}): Promise<string> {
  const { x, y, ...style } = options;
  const info = await model.inspectPrototypes({ ...(x === undefined ? {} : { x }), ...(y === undefined ? {} : { y }) });
  return drawPrototypeMap(info, style);
}
