import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';
import { memoryIo } from './Io.js';

// Its own file: tfjs's cpu backend prints its banner once per process, at its first tensor write,
// so the first cpu run of this file is the one that would show it.
const BANNER = /looks like you are running TensorFlow\.js in Node\.js/;

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await main(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

describe('quiet by default', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'somkit-quiet-'));
  });
  afterEach(() => vi.restoreAllMocks());

  it('no tfjs banner on the console and one short backend line on stderr', async () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    const r = await run(['demo', '--dataset', 'iris', '--epochs', '1', '--backend', 'cpu', '--out', 'd'], dir);
    expect(r.code, r.err).toBe(0);
    const said = [...warn.mock.calls, ...log.mock.calls].map((c) => c.join(' ')).join('\n');
    expect(said).not.toMatch(BANNER);
    expect(r.err).not.toMatch(BANNER);
    expect(r.err).toBe('backend: cpu (why: --backend cpu)\n');
  });

  it('auto: the backend line names the refused backends, their reasons only under --verbose', async () => {
    const a = await run(['export', '--model', join('d', 'model.json'), '--out', 'e'], dir);
    expect(a.code, a.err).toBe(0);
    const line = a.err.split('\n').filter((l) => l.startsWith('backend:'));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(/^backend: \w+ \(why: auto, the first that works here(; not available: [\w, ]+; --verbose says why)?\)$/);
    expect(line[0]!.length).toBeLessThan(120);
    const v = await run(['export', '--model', join('d', 'model.json'), '--out', 'e', '--verbose'], dir);
    const refused = v.err.split('\n').filter((l) => l.startsWith('  not used: '));
    expect(refused.length).toBe((line[0]!.match(/not available: ([\w, ]+);/)?.[1]?.split(', ') ?? []).length);
  });

  it('--quiet: no backend line, no epoch lines; --verbose lets tfjs speak', async () => {
    const q = await run(['demo', '--dataset', 'iris', '--epochs', '2', '--backend', 'cpu', '--out', 'q', '--quiet'], dir);
    expect(q.code, q.err).toBe(0);
    expect(q.err).toBe('');
    expect(q.out).not.toMatch(/epoch\s+\d/);
    // tfjs's notices go through console.warn; under --verbose they are let through (a fresh cpu
    // backend's first write shows the banner), by default they are not.
    const { MathBackendCPU } = await import('@tensorflow/tfjs-backend-cpu');
    const { env } = await import('@tensorflow/tfjs-core');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const prod = env().getBool('PROD');
    env().set('PROD', false);
    try {
      new MathBackendCPU().write(new Float32Array(1), [1], 'float32');
    } finally {
      env().set('PROD', prod);
    }
    expect(warn.mock.calls.map((c) => c.join(' ')).join('\n')).toMatch(BANNER);
  });
});
