/**
 * Side-effect entry: registers the Hamming distance under its name, so configs and model files
 * can say `distance: 'somkit-distance-hamming/hamming'`.
 *
 * ```ts
 * import 'somkit-distance-hamming/register';
 * new SOM({ rows: 10, cols: 10, dims: 64, distance: 'somkit-distance-hamming/hamming' });
 * ```
 */
import { registry } from '@somkit/plugin-api';
import { hamming, type HammingOptions } from './hamming.js';

registry.register('distance', 'somkit-distance-hamming/hamming', hamming, { source: 'somkit-distance-hamming' });

declare module '@somkit/plugin-api' {
  interface DistanceNames {
    'somkit-distance-hamming/hamming': HammingOptions | undefined;
  }
}
