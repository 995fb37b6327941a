/**
 * Side-effect entry: registers the ASCII renderer under its name, for apps that pick renderers
 * by name (`registry.resolve('renderer', 'somkit-renderer-ascii/ascii')`).
 *
 * plugin-api has no typed name map for renderers (only distances, neighbourhoods, schedules and
 * search backends have one), so there is no `declare module` augmentation here.
 */
import { registry } from '@somkit/plugin-api';
import { ascii, ASCII_RENDERER } from './ascii.js';

registry.register('renderer', ASCII_RENDERER, ascii, { source: 'somkit-renderer-ascii' });
