import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SomError } from '@somkit/plugin-api';

/** The `redis-server` used: `$SOMKIT_REDIS_SERVER`, else where Debian installs it. */
export const REDIS_SERVER_BINARY = process.env.SOMKIT_REDIS_SERVER ?? '/usr/bin/redis-server';

/** A throw-away `redis-server` on 127.0.0.1 (tests and local experiments). */
export interface LocalRedis {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Kills the server at once (SIGKILL): with persistence off, every key is lost. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `kill`). */
  restart(): Promise<void>;
  /** Stops it and removes its working directory. */
  stop(): Promise<void>;
}

/** Why a local Redis cannot be started here (the binary is missing), or undefined when it can. */
export function localRedisUnavailable(binary = REDIS_SERVER_BINARY): string | undefined {
  return existsSync(binary) ? undefined : `${binary} is not installed (Debian: apt-get install redis-server)`;
}

/**
 * Starts `redis-server` on 127.0.0.1 and a free port, persistence off (`--save '' --appendonly no`)
 * unless `appendonly` is set; resolves once it answers PING.
 * @throws SomError ERR_IO when the binary is missing or the server does not come up in 10 s
 */
export async function startLocalRedis(opts: { binary?: string; appendonly?: boolean } = {}): Promise<LocalRedis> {
  const binary = opts.binary ?? REDIS_SERVER_BINARY;
  const why = localRedisUnavailable(binary);
  if (why !== undefined) throw new SomError('ERR_IO', why);
  const dir = await mkdtemp(join(tmpdir(), 'somkit-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', opts.appendonly === true ? 'yes' : 'no', '--dir', dir, '--loglevel', 'warning'];
    const c = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    // Never outlive the process that started it.
    const reap = (): void => void c.kill('SIGKILL');
    process.once('exit', reap);
    c.once('exit', () => process.off('exit', reap));
    let stderr = '';
    c.stderr?.on('data', (b: Buffer) => void (stderr += b.toString()));
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (c.exitCode !== null || c.signalCode !== null) break;
      if (await ping(port)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    c.kill('SIGKILL');
    await exited;
    throw new SomError('ERR_IO', `redis-server did not answer on 127.0.0.1:${port}: ${stderr.trim() || 'no output'}`);
  };
  let lastError: unknown;
  for (let tries = 0; tries < 3; tries++) {
    port = await freePort();
    try {
      await launch();
      lastError = undefined;
      break;
    } catch (e) {
      lastError = e;
    }
  }
  if (lastError !== undefined) {
    await rm(dir, { recursive: true, force: true });
    throw lastError;
  }
  const kill = async (): Promise<void> => {
    const c = child;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGKILL');
    await exited;
  };
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      const c = child;
      if (c !== undefined && c.exitCode === null && c.signalCode === null) {
        const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
        c.kill('SIGTERM');
        const t = setTimeout(() => c.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(t);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (b: Buffer) => {
      buf += b.toString();
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
  });
}
