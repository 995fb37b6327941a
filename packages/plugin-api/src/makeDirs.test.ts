import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs } from './node.js';

const rootOnLinux = process.platform === 'linux' && process.getuid?.() === 0;

describe('makeDirs', () => {
  it('creates missing levels and accepts an existing directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'somkit-mkd-'));
    try {
      const deep = join(dir, 'a', 'b', 'c');
      await makeDirs(deep);
      expect((await stat(deep)).isDirectory()).toBe(true);
      await makeDirs(deep);
      await makeDirs(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a file in the way is an ERR_IO naming the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'somkit-mkd-'));
    try {
      await writeFile(join(dir, 'f'), 'x');
      await expect(makeDirs(join(dir, 'f', 'sub'))).rejects.toMatchObject({ code: 'ERR_IO', message: expect.stringContaining(join(dir, 'f', 'sub')) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // Only root reaches the spin: a non-root user gets EACCES from /proc at once either way,
  // and /proc is Linux-only.
  it.skipIf(!rootOnLinux)('fails at once under /proc as root (Node 20 recursive mkdir spins forever there)', async () => {
    const t0 = Date.now();
    await expect(makeDirs('/proc/somkit-no-such-dir/sub')).rejects.toMatchObject({
      name: 'SomError',
      code: 'ERR_IO',
      details: { path: '/proc/somkit-no-such-dir/sub', code: expect.stringMatching(/^E[A-Z]+$/) },
      message: expect.stringMatching(/Cannot create the directory \/proc\/somkit-no-such-dir\/sub .*E[A-Z]+.*Choose a writable location/),
    });
    expect(Date.now() - t0).toBeLessThan(2000);
  }, 5000);
});
