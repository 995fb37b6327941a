// Hostile .npy input (issue 17, Low): duplicate header keys, devices and pipes read without limit,
// error messages that copy a whole header.
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSomError } from '@somkit/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataFile } from './node.js';
import { parseNpy } from './parseNpy.js';

function npy(header: string, payload: Uint8Array): Uint8Array {
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(payload, 10 + header.length);
  return out;
}

function code(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    return isSomError(e) ? e.code : `uncoded ${String(e)}`;
  }
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'somkit-hostile-npy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hostile .npy input', () => {
  it('refuses duplicate header keys (numpy keeps the last, a first-wins reader sees another array)', () => {
    const payload = new Uint8Array(8);
    expect(code(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", payload)))).toBe('ok');
    for (const h of [
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (1, 2), }",
      "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
      "{'descr': '<f4', 'fortran_order': True, 'fortran_order': False, 'shape': (2,), }",
    ]) {
      expect(code(() => parseNpy(npy(h, payload)))).toBe('ERR_PARSE');
      expect(() => parseNpy(npy(h, payload))).toThrow(/appears 2 times; numpy keeps the last/);
    }
  });

  it('caps the header it quotes in an error message', () => {
    const h = `{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'junk': '${'x'.repeat(60_000)}' }`;
    let msg = '';
    try {
      parseNpy(npy(h.replace("'shape': (2,), ", ''), new Uint8Array(8)));
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/no 'shape' tuple/);
    expect(msg.length).toBeLessThan(400);
  });

  it('reads a .npy that is a character device only as far as the header allows (/dev/zero)', async () => {
    const link = join(dir, 'zero.npy');
    await symlink('/dev/zero', link);
    const t0 = Date.now();
    await expect(readDataFile(link)).rejects.toMatchObject({ code: 'ERR_PARSE' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('reads a pipe with a valid header at most to the declared size (+1 byte) and refuses the rest', async () => {
    const fifo = join(dir, 'pipe.npy');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo on this system
    }
    const w = createWriteStream(fifo);
    w.on('error', () => undefined); // EPIPE once the reader has enough
    let written = 0;
    const chunk = new Uint8Array(1 << 16);
    const pump = (): void => {
      // Up to 64 MB: a reader without limit would take all of it.
      while (written < 64 << 20 && w.write(written === 0 ? npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }", chunk) : chunk)) written += chunk.length;
      if (written < 64 << 20 && !w.destroyed) w.once('drain', pump);
    };
    pump();
    await expect(readDataFile(fifo)).rejects.toThrow(/Oversized \.npy data: shape \[4, 2\] of <f4 needs 32 bytes/);
    expect(written).toBeLessThan(64 << 20);
    w.destroy();
  });

  it('refuses a regular file whose size disagrees with its header before reading the data', async () => {
    const path = join(dir, 'short.npy');
    await writeFile(path, npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 1000), }", new Uint8Array(16)));
    await expect(readDataFile(path)).rejects.toThrow(/Truncated \.npy data: shape \[100000, 1000\] of <f4 needs 400000000 bytes/);
  });
});
