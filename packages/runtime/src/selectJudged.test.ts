import { describe, expect, it } from 'vitest';
import { isSomError, type SomError } from '@somkit/plugin-api';
import type { BackendJudgement, BackendName } from './types.js';
import { useBackendWith, type BackendDeps, type BackendHost, type BackendProbe } from './useBackendWith.js';

interface Fake {
  judge: Partial<Record<BackendName, BackendJudgement['kind']>>;
  /** Backends whose package is not installed. */
  missing?: BackendName[];
  /** ms per probe step, by backend. */
  speed?: Partial<Record<string, number>>;
  noTimer?: boolean;
}

const pkg: Record<string, BackendName> = {
  'pkg-webgpu': 'webgpu',
  'pkg-webgl': 'webgl',
  'pkg-wasm': 'wasm',
  'pkg-cpu': 'cpu',
};

function browserHost(f: Fake) {
  const registered = new Set<string>();
  const log: string[] = [];
  let active: string | undefined;
  const deps: BackendDeps = {
    async importModule(spec) {
      log.push(`import ${spec}`);
      const name = pkg[spec] as BackendName;
      if (f.missing?.includes(name)) throw Object.assign(new Error(`Cannot find package '${spec}'`), { code: 'ERR_MODULE_NOT_FOUND' });
      registered.add(name);
      return {};
    },
    isRegistered: (name) => registered.has(name),
    async activate(name) {
      log.push(`activate ${name}`);
      active = name;
      return true;
    },
    current: () => active,
    async restore(name) {
      active = name;
    },
  };
  const probe = (name: BackendName): BackendProbe => {
    const kind = f.judge[name];
    return { packages: [`pkg-${name}`], install: `npm i pkg-${name}`, ...(kind ? { judge: () => ({ kind, detail: `${kind} ${name}` }) } : {}) };
  };
  const host: BackendHost = {
    runtime: 'browser',
    order: ['webgpu', 'webgl', 'wasm', 'cpu'],
    probes: { webgpu: probe('webgpu'), webgl: probe('webgl'), wasm: probe('wasm'), cpu: probe('cpu') },
    ...(f.noTimer
      ? {}
      : {
          timeStep: async () => {
            log.push(`time ${String(active)}`);
            const t = f.speed?.[active as string] ?? 1;
            if (t < 0) throw new Error('device lost');
            return t;
          },
        }),
    deps,
  };
  return { host, log };
}

describe("useBackendWith: browser 'auto' judges GPUs (fake probes)", () => {
  it('headless Chromium (both GPUs software): passes over webgpu and webgl without loading them, takes wasm, says why', async () => {
    const { host, log } = browserHost({ judge: { webgpu: 'software', webgl: 'software' } });
    const c = await useBackendWith(host, 'auto');
    expect(c.backend).toBe('wasm');
    expect(c.refused.map((r) => r.backend)).toEqual(['webgpu', 'webgl']);
    expect(c.refused[0]?.reason).toMatch(/^software GPU: software webgpu; slower than the CPU backends/);
    expect(c.why).toMatch(/^wasm is the first backend in the 'auto' order \(webgpu → webgl → wasm → cpu\) that works here; passed over the software GPUs webgpu \(software webgpu\), webgl \(software webgl\)$/);
    expect(c.timings).toBeUndefined();
    expect(log).toEqual(['import pkg-wasm', 'activate wasm']);
  });

  it('a hardware GPU is taken at once, without timing', async () => {
    const { host, log } = browserHost({ judge: { webgpu: 'hardware', webgl: 'hardware' } });
    const c = await useBackendWith(host, 'auto');
    expect(c).toMatchObject({ backend: 'webgpu', refused: [], why: 'webgpu runs on a hardware GPU (hardware webgpu)' });
    expect(log.some((l) => l.startsWith('time'))).toBe(false);
  });

  it('an unidentified GPU is timed against the next sure backend; the faster wins and the loser says by how much', async () => {
    const { host, log } = browserHost({ judge: { webgpu: 'software', webgl: 'unknown' }, speed: { webgl: 12, wasm: 3 } });
    const c = await useBackendWith(host, 'auto');
    expect(c.backend).toBe('wasm');
    expect(c.timings).toEqual([
      { backend: 'wasm', msPerStep: 3 },
      { backend: 'webgl', msPerStep: 12 },
    ]);
    expect(c.why).toMatch(/^wasm was fastest in a timed probe \(tiny SOM steps, matmul \+ argmin\): wasm 3\.00 ms, webgl 12\.0 ms; passed over the software GPU webgpu/);
    expect(c.refused).toEqual([
      { backend: 'webgpu', reason: expect.stringMatching(/^software GPU/) },
      { backend: 'webgl', reason: 'slower in the timed probe: 12.0 ms per SOM step vs 3.00 ms on wasm (GPU not identified: unknown webgl)' },
    ]);
    expect(log.filter((l) => l.startsWith('time'))).toEqual(['time webgl', 'time wasm']);
    expect(log.at(-1)).toBe('activate wasm');
  });

  it('a GPU whose probe throws loses the timing', async () => {
    const { host } = browserHost({ judge: { webgpu: 'unknown', webgl: 'software' }, speed: { webgpu: -1, wasm: 4 } });
    const c = await useBackendWith(host, 'auto');
    expect(c.backend).toBe('wasm');
    expect(c.timings).toEqual([
      { backend: 'wasm', msPerStep: 4 },
      { backend: 'webgpu', msPerStep: Number.POSITIVE_INFINITY },
    ]);
    expect(c.refused[0]).toEqual({ backend: 'webgpu', reason: expect.stringMatching(/^its timed probe failed or took over 10 s vs 4\.00 ms on wasm/) });
  });

  it('a fast unidentified GPU wins the timing', async () => {
    const { host } = browserHost({ judge: { webgpu: 'unknown', webgl: 'unknown' }, speed: { webgpu: 0.5, webgl: 2, wasm: 3 } });
    const c = await useBackendWith(host, 'auto');
    expect(c.backend).toBe('webgpu');
    expect(c.timings?.map((t) => t.backend)).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(c.refused.map((r) => r.backend)).toEqual(['webgl', 'wasm']);
  });

  it('without a timer, an unidentified GPU that works is taken', async () => {
    const { host } = browserHost({ judge: { webgpu: 'unknown' }, noTimer: true });
    expect((await useBackendWith(host, 'auto')).backend).toBe('webgpu');
  });

  it('a software GPU is used only when wasm and cpu cannot be', async () => {
    const { host } = browserHost({ judge: { webgpu: 'software', webgl: 'software' }, missing: ['wasm', 'cpu'] });
    const c = await useBackendWith(host, 'auto');
    expect(c.backend).toBe('webgpu');
    expect(c.why).toBe('webgpu is a software GPU (software webgpu) but the only backend that works here');
    expect(c.refused.map((r) => r.backend)).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it('nothing works: ERR_BACKEND_UNSUPPORTED lists every reason', async () => {
    const { host } = browserHost({ judge: { webgpu: 'software', webgl: 'software' }, missing: ['webgpu', 'webgl', 'wasm', 'cpu'] });
    let err: unknown;
    await useBackendWith(host, 'auto').catch((e: unknown) => (err = e));
    expect(isSomError(err)).toBe(true);
    expect((err as SomError).code).toBe('ERR_BACKEND_UNSUPPORTED');
    expect((err as SomError).message).toMatch(/webgpu: package pkg-webgpu is not installed.*cpu: package pkg-cpu is not installed/);
  });

  it('an explicit backend name is not judged: a software GPU asked for is used', async () => {
    const { host } = browserHost({ judge: { webgpu: 'software' } });
    const c = await useBackendWith(host, 'webgpu');
    expect(c.backend).toBe('webgpu');
    expect(c.why).toBeUndefined();
  });
});
