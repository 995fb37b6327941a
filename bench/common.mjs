// What the bench scripts share: the repository root, the built packages, and the one tfjs instance
// core itself resolves (one backend registry), with the wasm backend registered. Needs `pnpm build`.
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;
/** The built entry of a package: `dist('core')` → packages/core/dist/index.js. */
export const dist = (p) => join(root, 'packages', p, 'dist', 'index.js');
export const tf = createRequire(join(root, 'packages', 'core', 'package.json'))('@tensorflow/tfjs-core');
createRequire(join(root, 'packages', 'cli', 'package.json'))('@tensorflow/tfjs-backend-wasm');
