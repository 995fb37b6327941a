import { registry } from '@somkit/plugin-api';
import { usearchSearch } from './usearchSearch.js';

registry.register('search', 'usearch', usearchSearch, { source: '@somkit/search-usearch' });

declare module '@somkit/plugin-api' {
  interface SearchNames {
    usearch:
      | { connectivity?: number; expansionAdd?: number; expansionSearch?: number; threads?: number; minUnits?: number; rebuildRatio?: number }
      | undefined;
  }
}
