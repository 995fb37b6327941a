import type { BackendJudgement } from './types.js';
import { within } from './within.js';

/** Words that name a software rasteriser in a WebGPU adapter's info or a WebGL renderer string. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver|mesa offscreen/i;

/** What a WebGPU adapter says about itself (`adapter.info`, or `requestAdapterInfo()` before Chrome 127). */
export interface AdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

/**
 * Judges a WebGPU adapter from its info: a fallback adapter (`isFallbackAdapter`, on the adapter
 * or, since Chrome 136, in `adapter.info`) or one whose info names SwiftShader/llvmpipe is
 * software; empty info is unknown.
 */
export function judgeAdapterInfo(info: AdapterInfoLike | undefined, isFallbackAdapter?: boolean): BackendJudgement {
  const text = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => typeof s === 'string' && s.length > 0).join(' ');
  if (isFallbackAdapter === true || info?.isFallbackAdapter === true) {
    return { kind: 'software', detail: `WebGPU fallback adapter${text ? ` (${text})` : ''}` };
  }
  if (SOFTWARE.test(text)) return { kind: 'software', detail: `WebGPU adapter ${text}` };
  if (text === '') return { kind: 'unknown', detail: 'the WebGPU adapter does not say what it is' };
  return { kind: 'hardware', detail: `WebGPU adapter ${text}` };
}

/**
 * Judges a WebGL renderer string (`WEBGL_debug_renderer_info`'s UNMASKED_RENDERER_WEBGL, or
 * `RENDERER` where the browser unmasks it): SwiftShader, llvmpipe or "software" is software; a
 * masked or generic string (`WebKit WebGL`) is unknown.
 */
export function judgeRenderer(renderer: string | undefined): BackendJudgement {
  if (renderer === undefined || renderer === '' || /^(webkit webgl|mozilla|generic renderer)$/i.test(renderer.trim())) {
    return { kind: 'unknown', detail: renderer ? `the WebGL renderer is masked ('${renderer}')` : 'the WebGL renderer is not reported' };
  }
  return SOFTWARE.test(renderer) ? { kind: 'software', detail: `WebGL renderer ${renderer}` } : { kind: 'hardware', detail: `WebGL renderer ${renderer}` };
}

type GpuAdapter = { info?: AdapterInfoLike; isFallbackAdapter?: boolean; requestAdapterInfo?(): Promise<AdapterInfoLike> };
type G = { navigator?: { gpu?: { requestAdapter(o?: { powerPreference?: string }): Promise<GpuAdapter | null> } } };

/**
 * Asks the browser for the adapter tfjs-backend-webgpu would get (`powerPreference:
 * 'high-performance'`) and judges it. Waits at most `timeoutMs` (some flag sets make
 * `requestAdapter` hang).
 */
export async function judgeWebGPU(timeoutMs = 5000): Promise<BackendJudgement> {
  const gpu = (globalThis as G).navigator?.gpu;
  if (gpu === undefined) return { kind: 'unknown', detail: 'navigator.gpu is missing' };
  const found = await within(gpu.requestAdapter({ powerPreference: 'high-performance' }), timeoutMs);
  if (found === 'timeout') return { kind: 'unknown', detail: `requestAdapter() gave no answer within ${timeoutMs} ms` };
  const adapter = found.value;
  if (adapter === null) return { kind: 'unknown', detail: 'requestAdapter() returned no adapter' };
  const info = adapter.info ?? (typeof adapter.requestAdapterInfo === 'function' ? await adapter.requestAdapterInfo() : undefined);
  return judgeAdapterInfo(info, adapter.isFallbackAdapter);
}

type GL = {
  RENDERER: number;
  getParameter(p: number): unknown;
  getExtension(name: string): unknown;
};
type Canvas = { getContext(kind: string): GL | null };
type W = { OffscreenCanvas?: new (w: number, h: number) => Canvas; document?: { createElement(tag: string): Canvas } };

/** Reads the WebGL renderer from a throw-away context (given back at once) and judges it. */
export function judgeWebGL(): BackendJudgement {
  const g = globalThis as W;
  let gl: GL | null = null;
  try {
    const canvas = typeof g.OffscreenCanvas === 'function' ? new g.OffscreenCanvas(1, 1) : g.document?.createElement('canvas');
    gl = canvas?.getContext('webgl2') ?? canvas?.getContext('webgl') ?? null;
    if (gl === null) return { kind: 'unknown', detail: 'no WebGL context' };
    const ext = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_RENDERER_WEBGL: number } | null;
    const unmasked = ext === null ? undefined : gl.getParameter(ext.UNMASKED_RENDERER_WEBGL);
    const renderer = typeof unmasked === 'string' && unmasked !== '' ? unmasked : gl.getParameter(gl.RENDERER);
    return judgeRenderer(typeof renderer === 'string' ? renderer : undefined);
  } finally {
    (gl?.getExtension('WEBGL_lose_context') as { loseContext(): void } | null | undefined)?.loseContext();
  }
}
