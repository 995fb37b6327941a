import type { ConnectionOptions } from 'bullmq';
import { SomError } from '@somkit/plugin-api';

/** Where Redis is: a `redis://[user:password@]host:port[/db]` URL (or `rediss://`), or BullMQ connection options. */
export type RedisTarget = string | ConnectionOptions;

/** Reconnect quickly after Redis restarts: 100 ms, 200 ms, … capped at 2 s. */
const retryStrategy = (times: number): number => Math.min(100 * times, 2_000);

/**
 * BullMQ connection options for a target: URLs become `{url}`; plain options get
 * `maxRetriesPerRequest: null` (commands wait for Redis to come back instead of failing) and a
 * quick reconnect strategy unless they set their own. Client instances pass through.
 * @throws SomError ERR_INVALID_CONFIG (not a redis:// or rediss:// URL)
 */
export function toConnectionOptions(target: RedisTarget): ConnectionOptions {
  if (typeof target === 'string') {
    let url: URL;
    try {
      url = new URL(target);
    } catch (e) {
      throw new SomError('ERR_INVALID_CONFIG', `Expected a Redis URL like redis://127.0.0.1:6379, got ${JSON.stringify(target)}.`, { cause: e });
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new SomError('ERR_INVALID_CONFIG', `Expected a redis:// or rediss:// URL, got ${JSON.stringify(target)}.`);
    }
    return { url: target, maxRetriesPerRequest: null, retryStrategy };
  }
  if (typeof target !== 'object' || target === null) {
    throw new SomError('ERR_INVALID_CONFIG', `Expected a Redis URL or BullMQ connection options, got ${String(target)}.`);
  }
  const isClient = typeof (target as { connect?: unknown }).connect === 'function';
  return isClient ? target : ({ maxRetriesPerRequest: null, retryStrategy, ...target } as ConnectionOptions);
}

/** A Redis URL without its password, for logs and outputs. */
export function redactUrl(target: RedisTarget): string {
  if (typeof target !== 'string') return '(connection options)';
  try {
    const u = new URL(target);
    if (u.password === '') return target;
    u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
