/**
 * Side-effect entry: registers the SVG renderer as `'svg'`.
 *
 * ```ts
 * import '@somkit/viz/register';
 * const r = registry.resolve('renderer', 'svg');
 * ```
 */
import { registry } from '@somkit/plugin-api';
import { svgRenderer } from './svgRenderer.js';

registry.register('renderer', 'svg', svgRenderer, { source: '@somkit/viz' });
