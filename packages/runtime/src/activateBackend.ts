import * as tf from '@tensorflow/tfjs-core';
import { errorText } from './importOptional.js';

type Factory = () => tf.KernelBackend | Promise<tf.KernelBackend>;

/** True when a backend factory is registered under `name` (no initialisation happens). */
export function isBackendRegistered(name: string): boolean {
  return tf.findBackendFactory(name) != null;
}

/**
 * Makes `name` the active tfjs backend and waits until it is ready.
 *
 * tfjs's `setBackend` reports a failed initialisation only as `false` plus a console warning; to
 * give the reason to the caller, the registered factory is wrapped for the duration of the call so
 * the error it throws is kept.
 *
 * @returns `true`, or the reason the backend could not be initialised
 */
export async function activateBackend(name: string): Promise<true | string> {
  const entry = tf.engine().registryFactory[name];
  if (entry === undefined) return `no tfjs backend is registered under '${name}'`;
  let initError: unknown;
  const original: Factory = entry.factory;
  entry.factory = () => {
    try {
      const made = original();
      if (typeof (made as { then?: unknown }).then === 'function') {
        return Promise.resolve(made).catch((e: unknown) => {
          initError = e;
          throw e;
        });
      }
      return made;
    } catch (e) {
      initError = e;
      throw e;
    }
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    if (ok) await tf.ready();
  } catch (e) {
    return `initialisation failed: ${errorText(e)}`;
  } finally {
    entry.factory = original;
  }
  if (!ok) {
    return initError === undefined
      ? `tf.setBackend('${name}') returned false (initialisation failed)`
      : `initialisation failed: ${errorText(initError)}`;
  }
  if (tf.getBackend() !== name) return `tf.setBackend('${name}') left '${tf.getBackend()}' active`;
  return true;
}

/** The active backend's name without triggering tfjs's lazy initialisation (undefined if none yet). */
export function currentBackend(): string | undefined {
  const name = tf.engine().backendName as string | null | undefined;
  return typeof name === 'string' && name.length > 0 ? name : undefined;
}

/** Switches back to `name` after a failed attempt left tfjs without a usable backend. */
export async function restoreBackend(name: string | undefined): Promise<void> {
  if (name === undefined || !isBackendRegistered(name)) return;
  try {
    await tf.setBackend(name);
  } catch {
    // Nothing better to do: the next tfjs op will pick the best registered backend.
  }
}
