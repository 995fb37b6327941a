export { usearchSearch, DEFAULT_MIN_UNITS, type UsearchSearch, type UsearchSearchOptions, type UsearchSearchStats } from './usearchSearch.js';
