import { errorText } from './importOptional.js';
import { tryBackend } from './tryBackend.js';
import { within } from './within.js';
import type { BackendJudgement, BackendName, BackendRefusal, BackendTiming, UseBackendOptions } from './types.js';
import type { BackendDeps, BackendHost } from './BackendHost.js';

/** What {@link selectJudged} settled on; `backend` is undefined when nothing works. */
export interface JudgedSelection {
  readonly backend?: string;
  readonly why: string;
  readonly refused: BackendRefusal[];
  readonly timings?: readonly BackendTiming[];
}

interface Candidate {
  readonly name: BackendName;
  readonly judgement?: BackendJudgement;
}

/** A probe slower than this loses (a GPU that hangs must not hold `auto` up). */
export const TIME_STEP_LIMIT_MS = 10_000;

async function limited(p: Promise<number>): Promise<number> {
  const r = await within(p, TIME_STEP_LIMIT_MS);
  return r === 'timeout' ? Number.POSITIVE_INFINITY : r.value;
}

const ms = (t: number): string => (Number.isFinite(t) ? `${t < 10 ? t.toFixed(2) : t.toFixed(1)} ms` : 'failed');

async function judgeOf(host: BackendHost, name: BackendName): Promise<BackendJudgement | undefined> {
  const judge = host.probes[name]?.judge;
  if (judge === undefined) return undefined;
  try {
    return await judge();
  } catch (e) {
    return { kind: 'unknown', detail: `its adapter could not be inspected: ${errorText(e)}` };
  }
}

/** Times `names` one after the other (each activated first), fastest first. */
async function timeAll(host: BackendHost, names: readonly BackendName[], deps: BackendDeps): Promise<BackendTiming[]> {
  const timings: BackendTiming[] = [];
  for (const backend of names) {
    let msPerStep = Number.POSITIVE_INFINITY;
    if ((await deps.activate(backend)) === true) {
      try {
        msPerStep = await limited((host.timeStep as () => Promise<number>)());
      } catch {
        // A probe that throws (or takes longer than TIME_STEP_LIMIT_MS) loses the race.
      }
    }
    timings.push({ backend, msPerStep });
  }
  return timings.sort((a, b) => a.msPerStep - b.msPerStep);
}

/**
 * `auto` for hosts whose GPU probes can `judge` the hardware (browsers). Walks `host.order`:
 *
 * - a GPU judged `'software'` (WebGPU fallback adapter, SwiftShader or llvmpipe WebGL) is passed
 *   over — in headless Chromium a SOM runs 4–15× slower on it than on wasm — and tried only when
 *   nothing else works;
 * - a GPU judged `'hardware'`, or a backend without a judge (wasm, cpu), is taken when it works;
 * - a GPU judged `'unknown'` that works is kept as a candidate, and when the walk ends (at the
 *   first sure backend, or the end of the order) every candidate plus that sure backend is timed
 *   with `host.timeStep` and the fastest wins. Without `timeStep`, an unknown GPU is taken.
 *
 * Every backend not used is in `refused` with its reason; `why` says why the winner won.
 */
export async function selectJudged(host: BackendHost, opts: UseBackendOptions, deps: BackendDeps): Promise<JudgedSelection> {
  const refused: BackendRefusal[] = [];
  const software: Candidate[] = [];
  const unsure: Candidate[] = [];
  let sure: Candidate | undefined;
  for (const name of host.order) {
    const judgement = await judgeOf(host, name);
    if (judgement?.kind === 'software') {
      software.push({ name, judgement });
      continue;
    }
    const outcome = await tryBackend(name, host.probes[name], opts, 'auto', deps);
    if (outcome !== true) {
      refused.push({ backend: name, reason: outcome });
      continue;
    }
    if (judgement?.kind === 'unknown' && host.timeStep !== undefined) {
      unsure.push({ name, judgement });
      continue;
    }
    sure = { name, ...(judgement ? { judgement } : {}) };
    break;
  }
  const passedOver = software.map((c) => ({ backend: c.name, reason: `software GPU: ${c.judgement?.detail ?? ''}; slower than the CPU backends for a SOM, used only when nothing else works` }));
  const order = (list: BackendRefusal[]) => list.sort((a, b) => host.order.indexOf(a.backend as BackendName) - host.order.indexOf(b.backend as BackendName));
  const softNote = software.length > 0 ? `; passed over the software GPU${software.length > 1 ? 's' : ''} ${software.map((c) => `${c.name} (${c.judgement?.detail ?? ''})`).join(', ')}` : '';

  if (unsure.length > 0) {
    const names = [...unsure.map((c) => c.name), ...(sure ? [sure.name] : [])];
    const timings = names.length > 1 ? await timeAll(host, names, deps) : [];
    const winner = timings[0]?.backend ?? names[0];
    if (winner === undefined) throw new Error('unreachable: no candidate');
    if ((await deps.activate(winner)) === true) {
      const losers = timings.slice(1).map((t) => ({
        backend: t.backend,
        reason: `${Number.isFinite(t.msPerStep) ? `slower in the timed probe: ${ms(t.msPerStep)} per SOM step` : `its timed probe failed or took over ${TIME_STEP_LIMIT_MS / 1000} s`} vs ${ms(timings[0]?.msPerStep ?? Number.NaN)} on ${winner}${unsure.some((c) => c.name === t.backend) ? ` (GPU not identified: ${unsure.find((c) => c.name === t.backend)?.judgement?.detail ?? ''})` : ''}`,
      }));
      const why =
        timings.length > 1
          ? `${winner} was fastest in a timed probe (tiny SOM steps, matmul + argmin): ${timings.map((t) => `${t.backend} ${ms(t.msPerStep)}`).join(', ')}${softNote}`
          : `${winner} is the only backend that works here, on a GPU that could not be identified (${unsure[0]?.judgement?.detail ?? ''})${softNote}`;
      return { backend: winner, why, refused: order([...refused, ...passedOver, ...losers]), ...(timings.length > 1 ? { timings } : {}) };
    }
  } else if (sure !== undefined) {
    const first = refused.length === 0 && software.length === 0;
    const base =
      sure.judgement?.kind === 'hardware'
        ? `${sure.name} runs on a hardware GPU (${sure.judgement.detail})`
        : `${sure.name} is the first backend in the 'auto' order (${host.order.join(' → ')}) that works here`;
    const failed = refused.length > 0 ? `; ${refused.map((r) => r.backend).join(', ')} could not be used` : '';
    return { backend: sure.name, why: first ? base : `${base}${softNote}${failed}`, refused: order([...refused, ...passedOver]) };
  }

  // Nothing else works: a software GPU is better than no backend.
  const failed: BackendRefusal[] = [];
  for (const c of software) {
    const outcome = await tryBackend(c.name, host.probes[c.name], opts, 'auto', deps);
    if (outcome === true) {
      const rest = passedOver.filter((r) => r.backend !== c.name && !failed.some((f) => f.backend === r.backend));
      return {
        backend: c.name,
        why: `${c.name} is a software GPU (${c.judgement?.detail ?? ''}) but the only backend that works here`,
        refused: order([...refused, ...failed, ...rest]),
      };
    }
    failed.push({ backend: c.name, reason: outcome });
  }
  return { why: 'no backend works here', refused: order([...refused, ...failed]) };
}
