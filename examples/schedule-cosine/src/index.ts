export { cosineAnnealing, type CosineAnnealingOptions } from './cosineAnnealing.js';
