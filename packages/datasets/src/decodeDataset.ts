import { SomError } from '@somkit/plugin-api';
import type { Dataset } from './Dataset.js';
import type { EncodedDataset } from './EncodedDataset.js';
import { base64ToBytes } from './base64ToBytes.js';

/**
 * Turns the embedded, compact form of a dataset into typed arrays. The result is frozen (the
 * typed arrays themselves cannot be).
 *
 * @throws SomError `ERR_SHAPE_MISMATCH` when the encoded lengths disagree with `n` and `d`.
 */
export function decodeDataset(enc: EncodedDataset): Dataset {
  const { n, d } = enc;
  const data =
    enc.values.encoding === 'json' ? Float32Array.from(enc.values.values) : Float32Array.from(base64ToBytes(enc.values.base64));
  if (data.length !== n * d) {
    throw new SomError('ERR_SHAPE_MISMATCH', `Embedded dataset '${enc.name}': expected ${n * d} values ([${n}, ${d}]), got ${data.length}.`);
  }
  if (enc.targetDigits.length !== n) {
    throw new SomError('ERR_SHAPE_MISMATCH', `Embedded dataset '${enc.name}': expected ${n} targets, got ${enc.targetDigits.length}.`);
  }
  const target = new Int32Array(n);
  // '0'..'9' → 0..9
  for (let i = 0; i < n; i++) target[i] = enc.targetDigits.charCodeAt(i) - 48;
  return Object.freeze({
    name: enc.name,
    description: enc.description,
    n,
    d,
    data,
    target,
    featureNames: Object.freeze([...enc.featureNames]),
    classNames: Object.freeze([...enc.classNames]),
    license: enc.license,
    source: enc.source,
  });
}
