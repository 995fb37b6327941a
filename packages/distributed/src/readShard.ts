import type { ShardDescriptor } from './ShardDescriptor.js';
import { openBuiltinShard } from './openBuiltinShard.js';

/**
 * All rows of a built-in shard as one matrix [n, d] (e.g. to initialise a codebook from the
 * first shard). Memory: the whole shard; workers stream shards in chunks instead.
 */
export async function readShard(shard: ShardDescriptor): Promise<{ data: Float32Array; shape: [number, number] }> {
  const parts: Float32Array[] = [];
  let n = 0;
  let d = 0;
  for await (const c of openBuiltinShard(shard)) {
    parts.push(c.data);
    n += c.shape[0];
    d = c.shape[1];
  }
  const data = new Float32Array(n * d);
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  return { data, shape: [n, d] };
}
