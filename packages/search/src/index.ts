export { bruteForce, DEFAULT_MAX_BLOCK_ELEMENTS, type BruteForceOptions } from './bruteForce.js';
export { resolveSearch, type SearchChoice } from './resolveSearch.js';
