export { hamming, type HammingOptions } from './hamming.js';
