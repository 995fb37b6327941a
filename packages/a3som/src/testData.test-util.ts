import * as tf from '@tensorflow/tfjs-core';
import { expect, vi } from 'vitest';
import { Rng } from '@somkit/geometry';
import { isSomError, type SomErrorCode } from '@somkit/plugin-api';

/** Gaussian blobs in the plane: centres, spread and points per centre. */
export function blobs(centres: readonly (readonly [number, number])[], perCentre: number, spread: number, seed: number): { x: number[][]; y: number[] } {
  const r = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  centres.forEach(([cx, cy], k) => {
    for (let i = 0; i < perCentre; i++) {
      x.push([cx + spread * r.normal(), cy + spread * r.normal()]);
      y.push(k);
    }
  });
  return { x, y };
}

/** Random standard-normal rows [n, d]. */
export function gaussian(n: number, d: number, seed: number): number[][] {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
}

/** Awaits `p` and asserts a SomError with `code` (and message pattern). */
export async function expectSomError(p: Promise<unknown> | (() => unknown), code: SomErrorCode, pattern?: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected SomError ${code}`).toBeDefined();
  expect(isSomError(caught, code), `expected ${code}, got ${String(caught)}`).toBe(true);
  if (pattern !== undefined) expect((caught as Error).message).toMatch(pattern);
}

/** Tensor count at the start of a test; compare in afterEach. */
export function tensorCount(): number {
  return tf.memory().numTensors;
}

/** Captures what is written to standard output (Node's `process.stdout.write`) until `restore()`. */
export function captureStdout(): { lines: string[]; restore(): void } {
  const out = (globalThis as unknown as { process: { stdout: { write(s: string): boolean } } }).process.stdout;
  const lines: string[] = [];
  const spy = vi.spyOn(out, 'write').mockImplementation((s: string) => lines.push(String(s)) > 0);
  return { lines, restore: () => spy.mockRestore() };
}
