import { SomError, logger } from '@somkit/plugin-api';
import { activateBackend, currentBackend, isBackendRegistered, restoreBackend } from './activateBackend.js';
import { importOptional } from './importOptional.js';
import { selectJudged } from './selectJudged.js';
import { tryBackend } from './tryBackend.js';
import {
  BACKEND_PREFERENCES,
  type BackendChoice,
  type BackendJudgement,
  type BackendName,
  type BackendPreference,
  type BackendRefusal,
  type RuntimeName,
  type UseBackendOptions,
} from './types.js';

import type { BackendDeps, BackendHost } from './BackendHost.js';

export type { BackendProbe, BackendDeps, BackendHost } from './BackendHost.js';

const realDeps: BackendDeps = {
  importModule: importOptional,
  isRegistered: isBackendRegistered,
  activate: activateBackend,
  current: currentBackend,
  restore: restoreBackend,
};

// Calls are serialised: two overlapping selections would fight over tfjs's global backend.
let queue: Promise<unknown> = Promise.resolve();

/**
 * The selection logic behind `useBackend`, parameterised by the runtime's table so the Node and
 * web entries stay thin.
 *
 * For `'auto'` it walks `host.order` and keeps the first backend that loads and initialises; for a
 * backend name it tries only that one. When the host's probes `judge` their GPUs (browsers),
 * `auto` passes over software GPUs and times the candidates it is unsure of (see `selectJudged`).
 *
 * ```ts
 * const choice = await useBackendWith(host, 'auto'); // { backend: 'wasm', refused: [...], ... }
 * ```
 *
 * @throws SomError `ERR_INVALID_CONFIG` for an unknown name or bad options;
 *   `ERR_BACKEND_UNSUPPORTED` when the requested backend (or, for `'auto'`, every candidate)
 *   cannot be used — the message carries the reasons and the choices
 */
export function useBackendWith(
  host: BackendHost,
  pref: BackendPreference = 'auto',
  opts: UseBackendOptions = {},
): Promise<BackendChoice> {
  const run = queue.then(() => select(host, pref, opts));
  queue = run.catch(() => undefined);
  return run;
}

/** The backends `'auto'` tries in this runtime, in order. */
export function listBackendsWith(host: BackendHost): readonly BackendName[] {
  return Object.freeze([...host.order]);
}

function choicesText(host: BackendHost): string {
  const where = host.runtime === 'node' ? 'Node' : 'browsers';
  return `Choices in ${where} ('auto' order): ${host.order.join(', ')}; or 'auto' to take the first that works.`;
}

function validate(host: BackendHost, pref: unknown, opts: UseBackendOptions): asserts pref is BackendPreference {
  if (typeof pref !== 'string' || !(BACKEND_PREFERENCES as readonly string[]).includes(pref)) {
    throw new SomError(
      'ERR_INVALID_CONFIG',
      `Unknown backend ${typeof pref === 'string' ? `'${pref}'` : String(pref)}. Expected one of: ${BACKEND_PREFERENCES.join(', ')}. ${choicesText(host)}`,
      { details: { requested: pref, choices: [...host.order] } },
    );
  }
  if (opts.wasmPaths !== undefined && (typeof opts.wasmPaths !== 'string' || opts.wasmPaths.length === 0)) {
    throw new SomError('ERR_INVALID_CONFIG', `Expected opts.wasmPaths to be a non-empty URL prefix string, got ${String(opts.wasmPaths)}.`);
  }
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
    throw new SomError('ERR_INVALID_CONFIG', `Expected opts.threads to be an integer ≥ 1, got ${String(opts.threads)}.`);
  }
  if (opts.webgpu !== undefined && typeof opts.webgpu !== 'boolean') {
    throw new SomError('ERR_INVALID_CONFIG', `Expected opts.webgpu to be true or false, got ${String(opts.webgpu)}.`);
  }
  if (opts.webgpuTimeoutMs !== undefined && !(typeof opts.webgpuTimeoutMs === 'number' && Number.isFinite(opts.webgpuTimeoutMs) && opts.webgpuTimeoutMs > 0)) {
    throw new SomError('ERR_INVALID_CONFIG', `Expected opts.webgpuTimeoutMs to be a number of milliseconds > 0, got ${String(opts.webgpuTimeoutMs)}.`);
  }
}

async function select(host: BackendHost, pref: BackendPreference, opts: UseBackendOptions): Promise<BackendChoice> {
  validate(host, pref, opts);
  const deps: BackendDeps = { ...realDeps, ...host.deps };
  const where = host.runtime === 'node' ? 'Node' : 'this browser';

  if (pref !== 'auto' && !host.order.includes(pref)) {
    const why = host.unsupported?.[pref] ?? `'${pref}' is not a backend of this runtime`;
    throw new SomError('ERR_BACKEND_UNSUPPORTED', `Backend '${pref}' cannot be used in ${where}: ${why}. ${choicesText(host)}`, {
      details: { requested: pref, refused: [{ backend: pref, reason: why }], choices: [...host.order] },
    });
  }

  const previous = deps.current();
  if (pref === 'auto' && Object.values(host.probes).some((p) => p?.judge !== undefined)) {
    const judged = await selectJudged(host, opts, deps);
    if (judged.backend !== undefined) {
      logger.debug(`useBackend('auto'): using '${judged.backend}': ${judged.why}`);
      return { backend: judged.backend, requested: pref, refused: judged.refused, runtime: host.runtime, why: judged.why, ...(judged.timings ? { timings: judged.timings } : {}) };
    }
    await deps.restore(previous);
    throw noBackend(host, pref, judged.refused);
  }
  const refused: BackendRefusal[] = [];
  for (const name of pref === 'auto' ? host.order : [pref]) {
    const outcome = await tryBackend(name, host.probes[name], opts, pref, deps);
    if (outcome === true) {
      const backend = deps.current() ?? name;
      const note = refused.length > 0 ? ` (refused: ${refused.map((r) => `${r.backend}: ${r.reason}`).join('; ')})` : '';
      logger.debug(`useBackend('${pref}'): using '${backend}'${note}`);
      return { backend, requested: pref, refused, runtime: host.runtime };
    }
    logger.debug(`useBackend('${pref}'): refused '${name}': ${outcome}`);
    refused.push({ backend: name, reason: outcome });
  }

  // Nothing worked: a failed setBackend leaves tfjs without an active backend, so go back.
  await deps.restore(previous);
  throw noBackend(host, pref, refused);
}

function noBackend(host: BackendHost, pref: BackendPreference, refused: BackendRefusal[]): SomError {
  const where = host.runtime === 'node' ? 'Node' : 'this browser';
  const reasons = refused.map((r) => `${r.backend}: ${r.reason}`).join('; ');
  const message =
    pref === 'auto'
      ? `No tfjs backend could be initialised in ${where}. Tried ${reasons}. Install @tensorflow/tfjs-backend-cpu (always works) or @tensorflow/tfjs-backend-wasm (faster).`
      : `Backend '${pref}' cannot be used in ${where}: ${refused[0]?.reason ?? 'unknown reason'}. ${choicesText(host)}`;
  return new SomError('ERR_BACKEND_UNSUPPORTED', message, { details: { requested: pref, refused, choices: [...host.order] } });
}
