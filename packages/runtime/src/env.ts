/**
 * Runtime probes, in one frozen object (the transformers.js `env` pattern). `isNode` is fixed at
 * load; `hasNavigatorGpu` is read live, so WebGPU set up after import (npm `webgpu` in Node) is
 * seen; `hasWebGL` creates a throw-away context once and caches the answer.
 *
 * ```ts
 * import { env } from '@somkit/runtime';
 * if (!env.hasNavigatorGpu) console.log('no WebGPU here');
 * ```
 */
export interface RuntimeEnv {
  /** True in Node (`process.versions.node` is set). */
  readonly isNode: boolean;
  /** True when `globalThis.navigator.gpu` exists (a WebGPU implementation is exposed). */
  readonly hasNavigatorGpu: boolean;
  /** True when a WebGL (2 or 1) context can be created (browsers and workers with OffscreenCanvas). */
  readonly hasWebGL: boolean;
}

type G = {
  process?: { versions?: { node?: unknown } };
  navigator?: { gpu?: unknown };
  document?: { createElement?(tag: string): unknown };
  OffscreenCanvas?: new (w: number, h: number) => unknown;
};

interface CanvasLike {
  getContext?(kind: string): { getExtension?(name: string): { loseContext?(): void } | null } | null;
}

function detectNode(): boolean {
  return typeof (globalThis as G).process?.versions?.node === 'string';
}

let webglCache: boolean | undefined;

function detectWebGL(): boolean {
  if (webglCache !== undefined) return webglCache;
  const g = globalThis as G;
  let canvas: CanvasLike | undefined;
  try {
    if (typeof g.OffscreenCanvas === 'function') canvas = new g.OffscreenCanvas(1, 1) as CanvasLike;
    else if (typeof g.document?.createElement === 'function') canvas = g.document.createElement('canvas') as CanvasLike;
    const ctx = canvas?.getContext?.('webgl2') ?? canvas?.getContext?.('webgl') ?? null;
    // Give the context back at once: browsers cap the number of live WebGL contexts.
    ctx?.getExtension?.('WEBGL_lose_context')?.loseContext?.();
    webglCache = ctx !== null;
  } catch {
    webglCache = false;
  }
  return webglCache;
}

export const env: RuntimeEnv = Object.freeze({
  isNode: detectNode(),
  get hasNavigatorGpu(): boolean {
    return (globalThis as G).navigator?.gpu != null;
  },
  get hasWebGL(): boolean {
    return detectWebGL();
  },
});
