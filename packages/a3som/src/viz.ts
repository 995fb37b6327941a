export { renderPrototypeMap } from './renderPrototypeMap.js';
export { drawPrototypeMap, type PrototypeMapStyle } from './drawPrototypeMap.js';
