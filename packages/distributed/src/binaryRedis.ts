import { SomError } from '@somkit/plugin-api';

/** The few ioredis commands the driver and workers use beyond BullMQ's, binary-safe. */
export interface BinaryRedis {
  get(key: string): Promise<string | null>;
  exists(...keys: string[]): Promise<number>;
  del(...keys: string[]): Promise<number>;
  expire(key: string, seconds: number): Promise<number>;
  hmgetBuffer(key: string, ...fields: string[]): Promise<Array<Buffer | null>>;
  multi(): BinaryMulti;
}

/** A MULTI … EXEC transaction of {@link BinaryRedis}. */
export interface BinaryMulti {
  set(key: string, value: string | Buffer): BinaryMulti;
  /** Object form only (BullMQ's transaction wrapper expands it to field/value pairs). */
  hset(key: string, data: Record<string, string | Buffer>): BinaryMulti;
  del(...keys: string[]): BinaryMulti;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

/**
 * Narrows a BullMQ client to the ioredis commands somkit needs (BullMQ creates ioredis clients
 * from connection options; other adapters lack the binary commands).
 * @throws SomError ERR_BACKEND_UNSUPPORTED for a non-ioredis client
 */
export function binaryRedis(client: unknown): BinaryRedis {
  const c = client as Partial<Record<keyof BinaryRedis, unknown>>;
  if (typeof c.hmgetBuffer !== 'function' || typeof c.multi !== 'function' || typeof c.get !== 'function') {
    throw new SomError('ERR_BACKEND_UNSUPPORTED', '@somkit/distributed needs an ioredis connection (BullMQ\'s default); the connection given lacks binary commands such as hmgetBuffer.');
  }
  return client as BinaryRedis;
}

/** Runs a transaction and throws ERR_IO if Redis refused it or any command in it. */
export async function execOrThrow(m: BinaryMulti, what: string): Promise<void> {
  let res: Array<[Error | null, unknown]> | null;
  try {
    res = await m.exec();
  } catch (e) {
    throw new SomError('ERR_IO', `Redis failed to ${what}: ${e instanceof Error ? e.message : String(e)}.`, { cause: e });
  }
  const err = res === null ? new Error('transaction aborted') : res.find((r) => r[0] !== null)?.[0];
  if (err) throw new SomError('ERR_IO', `Redis failed to ${what}: ${err.message}.`, { cause: err });
}
