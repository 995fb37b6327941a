import { SomError, type AbortSignalLike } from '@somkit/plugin-api';

/** Throws `ERR_ABORTED` when the signal has fired. */
export function checkAbort(signal: AbortSignalLike | undefined, what: string): void {
  if (signal?.aborted === true) {
    throw new SomError('ERR_ABORTED', `${what} was aborted.`, { cause: signal.reason });
  }
}
