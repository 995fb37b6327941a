/**
 * Side-effect entry: registers the sampled-pivots search under its name. Registered strategies take
 * part in `search: 'auto'`: with priority 1 it wins over the brute force (priority 0) wherever its
 * `supports()` says yes (cpu/wasm, euclidean/manhattan/chebyshev, ≤ 1024 units).
 *
 * ```ts
 * import 'somkit-search-sampled/register';
 * new SOM({ rows: 8, cols: 8, dims: 4, search: 'somkit-search-sampled/sampled-pivots' });
 * ```
 */
import { registry } from '@somkit/plugin-api';
import { sampledPivots, type SampledPivotsOptions } from './sampledPivots.js';

registry.register('search', 'somkit-search-sampled/sampled-pivots', sampledPivots, { source: 'somkit-search-sampled' });

declare module '@somkit/plugin-api' {
  interface SearchNames {
    'somkit-search-sampled/sampled-pivots': SampledPivotsOptions | undefined;
  }
}
