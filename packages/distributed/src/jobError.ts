import { isSomError, SomError, type SomErrorCode } from '@somkit/plugin-api';

const CODES: readonly SomErrorCode[] = [
  'ERR_SHAPE_MISMATCH', 'ERR_NON_FINITE', 'ERR_EMPTY_INPUT', 'ERR_INVALID_INPUT', 'ERR_INVALID_CONFIG', 'ERR_UNKNOWN_PLUGIN',
  'ERR_API_VERSION', 'ERR_BACKEND_UNSUPPORTED', 'ERR_MODEL_FORMAT', 'ERR_PARSE', 'ERR_NOT_FITTED', 'ERR_ABORTED', 'ERR_IO',
];

/**
 * The message a worker fails a job with: `[CODE] message`, so the code survives BullMQ's
 * `failedReason` (a plain string). Errors that are not SomErrors keep their message under no code.
 */
export function jobErrorMessage(e: unknown): string {
  if (isSomError(e)) return `[${e.code}] ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Rebuilds the driver-side error of a failed shard job from its `failedReason`: the worker's code
 * (unknown errors become ERR_IO), with the shard and attempts in the message and details.
 */
export function shardJobError(failedReason: string | undefined, ctx: { shardId: number; epoch: number; attempts: number; shard: unknown }): SomError {
  const reason = failedReason ?? 'no reason recorded';
  const m = /^\[(ERR_[A-Z_]+)\] ([\s\S]*)$/.exec(reason);
  const code = m && (CODES as readonly string[]).includes(m[1]!) ? (m[1] as SomErrorCode) : 'ERR_IO';
  let text = m ? m[2]! : reason;
  if (/stalled more than allowable limit/.test(text)) {
    text += ' — its worker died or blocked its event loop longer than lockDuration, twice';
  }
  const where = ctx.epoch >= 0 ? `epoch ${ctx.epoch}` : 'the evaluation pass';
  return new SomError(code, `Shard ${ctx.shardId} failed in ${where} after ${ctx.attempts} attempt(s): ${text} (shard ${JSON.stringify(ctx.shard)}). No update was applied for this epoch.`, {
    details: { shardId: ctx.shardId, epoch: ctx.epoch, attempts: ctx.attempts, shard: ctx.shard },
  });
}
