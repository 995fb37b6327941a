import type { MatrixInput } from '@somkit/core';

/**
 * Rows and columns of a chunk as its container states them (before validation), or undefined
 * when the container says nothing (then `SOM.accumulate` validates it).
 */
export function chunkShape(chunk: MatrixInput): [rows: number, cols: number] | undefined {
  if (Array.isArray(chunk)) {
    const first = chunk[0] as unknown;
    return [chunk.length, Array.isArray(first) || ArrayBuffer.isView(first) ? (first as ArrayLike<number>).length : 0];
  }
  const shape = (chunk as { shape?: unknown }).shape;
  if (Array.isArray(shape) && shape.length === 2 && typeof shape[0] === 'number' && typeof shape[1] === 'number') {
    return [shape[0], shape[1]];
  }
  return undefined;
}
