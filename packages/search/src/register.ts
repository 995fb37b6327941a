import { registry } from '@somkit/plugin-api';
import { bruteForce } from './bruteForce.js';

registry.register('search', 'brute-force', bruteForce, { source: '@somkit/search' });

declare module '@somkit/plugin-api' {
  interface SearchNames {
    'brute-force': { maxBlockElements?: number } | undefined;
  }
}
