import * as tf from '@tensorflow/tfjs-core';
import { API_VERSION, SUPPORTED_API_VERSIONS, isJson } from '@somkit/plugin-api';
import { mulberry32 } from '@somkit/geometry';

/** A failed conformance check; the message names the plugin and the rule. */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
}

export function fail(who: string, message: string): never {
  throw new ConformanceError(`${who}: ${message}`);
}

/** Deterministic PRNG in [0, 1) (`mulberry32` of `@somkit/geometry`), so failures reproduce. */
export function rng(seed: number): () => number {
  return mulberry32(seed);
}

export function randomMatrix(next: () => number, rows: number, cols: number, lo: number, hi: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => lo + (hi - lo) * next()));
}

/** Rows of a 2-D tensor as plain arrays (test code: synchronous reads are fine). */
export function rows(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}

/** Frozen, right kind, non-empty name, apiVersion 1 or 2, options that survive JSON. */
export function checkMetadata(kind: string, plugin: unknown): void {
  const p = plugin as { kind?: unknown; name?: unknown; apiVersion?: unknown; options?: unknown } | null;
  const who = `${kind} '${String(p?.name)}'`;
  if (typeof p !== 'object' || p === null) fail(who, `expected a plugin object, got ${String(p)}`);
  if (p.kind !== kind) fail(who, `expected kind '${kind}', got '${String(p.kind)}'`);
  if (typeof p.name !== 'string' || p.name.length === 0) fail(who, 'expected a non-empty string name');
  const versions = kind === 'engine' ? [API_VERSION] : SUPPORTED_API_VERSIONS;
  if (!versions.includes(p.apiVersion as number)) fail(who, `expected apiVersion ${versions.join(' or ')}, got ${String(p.apiVersion)}`);
  if (!Object.isFrozen(p)) fail(who, 'plugin objects must be frozen (use the define* factories from @somkit/plugin-api)');
  if (p.options !== undefined) {
    if (!isJson(p.options)) fail(who, 'options must be JSON-serialisable (finite numbers, strings, booleans, arrays, plain objects)');
    const round = JSON.stringify(JSON.parse(JSON.stringify(p.options)));
    if (round !== JSON.stringify(p.options)) fail(who, 'options do not survive a JSON round trip unchanged');
  }
}

/** Runs `make`, returns its result and how many tensors it left alive besides it. */
export function created<T>(make: () => T): { value: T; added: number } {
  const before = tf.memory().numTensors;
  const value = make();
  return { value, added: tf.memory().numTensors - before };
}

/** Fails when any input was disposed or its values changed. */
export function checkInputsIntact(who: string, inputs: ReadonlyArray<readonly [string, tf.Tensor, Float32Array | Int32Array | Uint8Array]>): void {
  for (const [label, t, values] of inputs) {
    if (t.isDisposed) fail(who, `disposed its input ${label}; plugins must never dispose their inputs (tidy-safe contract)`);
    const now = t.dataSync();
    for (let i = 0; i < values.length; i++) {
      if (!Object.is(now[i], values[i])) fail(who, `changed its input ${label} at flat index ${i}: ${values[i]} → ${now[i]}`);
    }
  }
}
