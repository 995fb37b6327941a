import { describe, expect, it } from 'vitest';
import { judgeAdapterInfo, judgeRenderer } from './judgeGpu.js';

describe('judgeAdapterInfo', () => {
  it('headless Chromium 156 without a GPU: info.isFallbackAdapter (google swiftshader) is software', () => {
    const j = judgeAdapterInfo({ vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true });
    expect(j).toEqual({ kind: 'software', detail: 'WebGPU fallback adapter (google swiftshader)' });
  });
  it('the older adapter.isFallbackAdapter flag, and a SwiftShader name without the flag, are software', () => {
    expect(judgeAdapterInfo({}, true).kind).toBe('software');
    expect(judgeAdapterInfo({ vendor: 'google', architecture: 'swiftshader' }).kind).toBe('software');
    expect(judgeAdapterInfo({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }).kind).toBe('software');
  });
  it('a named hardware adapter is hardware; empty info is unknown', () => {
    expect(judgeAdapterInfo({ vendor: 'nvidia', architecture: 'ampere' })).toEqual({ kind: 'hardware', detail: 'WebGPU adapter nvidia ampere' });
    expect(judgeAdapterInfo({ vendor: '', architecture: '' }).kind).toBe('unknown');
    expect(judgeAdapterInfo(undefined).kind).toBe('unknown');
  });
});

describe('judgeRenderer', () => {
  it('SwiftShader (ANGLE), llvmpipe and "software" renderers are software', () => {
    expect(judgeRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)').kind).toBe('software');
    expect(judgeRenderer('llvmpipe (LLVM 15.0.6, 256 bits)').kind).toBe('software');
    expect(judgeRenderer('Microsoft Basic Render Driver').kind).toBe('software');
    expect(judgeRenderer('Software Rasterizer').kind).toBe('software');
  });
  it('a GPU renderer is hardware; a masked one is unknown', () => {
    expect(judgeRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)').kind).toBe('hardware');
    expect(judgeRenderer('Apple M2').kind).toBe('hardware');
    expect(judgeRenderer('WebKit WebGL').kind).toBe('unknown');
    expect(judgeRenderer(undefined).kind).toBe('unknown');
  });
});
