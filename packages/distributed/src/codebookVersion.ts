import { createHash } from 'node:crypto';

/**
 * Hex SHA-256 (first 16 digits) of a float32 array's bytes: identifies a codebook or a model file.
 */
export function contentHash(data: Float32Array | string): string {
  const h = createHash('sha256');
  if (typeof data === 'string') h.update(data, 'utf8');
  else h.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return h.digest('hex').slice(0, 16);
}

/**
 * The version of the codebook that epoch `epoch` starts from: `"<epoch>-<hash of the weights>"`.
 * Workers refuse a job whose version differs from the one stored in Redis.
 */
export function codebookVersion(epoch: number, weights: Float32Array): string {
  return `${epoch}-${contentHash(weights)}`;
}

/** The hash part of a version made by {@link codebookVersion}. */
export function versionHash(version: string): string {
  return version.slice(version.indexOf('-') + 1);
}
