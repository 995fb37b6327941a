/**
 * Node-only entry (`@somkit/plugin-api/node`): file-system helpers shared by the Node writers
 * (`@somkit/viz/node`, `@somkit/datasets/node`, the CLI). Not for browser bundles.
 */
export { makeDirs } from './makeDirs.js';
export { fsErrorCode, fsReason } from './fsReason.js';
