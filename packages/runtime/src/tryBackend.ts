import { logger } from '@somkit/plugin-api';
import { errorText, isNotInstalled } from './importOptional.js';
import type { BackendName, BackendPreference, UseBackendOptions } from './types.js';
import type { BackendDeps, BackendProbe } from './BackendHost.js';

/**
 * Loads, configures and activates one backend: its precheck, then its packages (the first that
 * imports wins), then `setBackend`.
 *
 * @returns `true` when `name` is the active backend, or the reason it cannot be used
 */
export async function tryBackend(
  name: BackendName,
  probe: BackendProbe | undefined,
  opts: UseBackendOptions,
  requested: BackendPreference,
  deps: BackendDeps,
): Promise<true | string> {
  if (probe === undefined) return `no loader is defined for '${name}' in this runtime`;
  let pre: true | string;
  try {
    pre = (await probe.precheck?.(opts, requested)) ?? true;
  } catch (e) {
    return `its check failed: ${errorText(e)}`;
  }
  if (pre !== true) return pre;

  const already = deps.isRegistered(name);
  // An already registered backend (imported by the app, or by an earlier call) needs no import,
  // except to hand options to its package; the import is then served from the module cache.
  const needModule = !already || (probe.configure !== undefined && (opts.wasmPaths !== undefined || opts.threads !== undefined));
  if (needModule) {
    const failures: string[] = [];
    let loaded = false;
    for (const spec of probe.packages) {
      let mod: unknown;
      try {
        mod = await deps.importModule(spec);
      } catch (e) {
        failures.push(isNotInstalled(e, spec) ? `package ${spec} is not installed` : `package ${spec} failed to load: ${errorText(e)}`);
        continue;
      }
      try {
        probe.configure?.(mod, opts);
      } catch (e) {
        return `could not apply options to ${spec}: ${errorText(e)}`;
      }
      loaded = true;
      break;
    }
    if (!loaded && !already) {
      const anyBroken = failures.some((f) => f.includes('failed to load'));
      return `${failures.join('; ')}${anyBroken ? '' : `: ${probe.install}`}`;
    }
    if (!loaded) logger.warn(`useBackend: could not load ${probe.packages.join(' or ')} to apply options; using the '${name}' backend already registered. ${failures.join('; ')}`);
  }
  if (!deps.isRegistered(name)) {
    return `importing ${probe.packages.join(' / ')} did not register a '${name}' backend (its support check failed in this environment)`;
  }
  return deps.activate(name);
}
