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

/** What a redacted reader error says, by code (no cell, header or line text from the file). */
const READER_FAILED: Partial<Record<SomErrorCode, string>> = {
  ERR_IO: 'the shard could not be read',
  ERR_PARSE: 'the shard could not be parsed',
  ERR_NON_FINITE: 'the shard holds a missing, non-finite or out-of-range value',
  ERR_SHAPE_MISMATCH: 'the shard\'s rows do not have the expected shape',
  ERR_EMPTY_INPUT: 'the shard (or a chunk of it) is empty',
  ERR_INVALID_INPUT: 'the shard\'s reader refused it (a malformed descriptor, a missing column, rows out of range, or non-numeric values)',
};

/**
 * The error a worker fails a job with when reading or validating its shard failed: the reader's
 * code, and a message of our own that never quotes the file (CSV parse errors name cells and
 * headers): the row/line/column numbers and an errno code at most. The reader's error is the
 * `cause` (details.redacted = true), for the worker's own log.
 */
export function redactedReaderError(e: unknown): SomError {
  const code: SomErrorCode = isSomError(e) ? e.code : 'ERR_IO';
  const details = (isSomError(e) ? e.details : undefined) ?? {};
  const errno = [(details as { code?: unknown }).code, ((e as { cause?: { code?: unknown } } | undefined)?.cause)?.code, (e as { code?: unknown } | undefined)?.code]
    .find((c): c is string => typeof c === 'string' && /^E[A-Z0-9]{2,}$/.test(c));
  const where = (['line', 'row', 'column'] as const)
    .filter((k) => Number.isSafeInteger((details as Record<string, unknown>)[k]))
    .map((k) => `${k} ${String((details as Record<string, unknown>)[k])}`);
  if (errno !== undefined) where.push(errno);
  const what = READER_FAILED[code] ?? 'the shard\'s reader failed';
  return new SomError(code, `Reading the shard failed: ${what}${where.length > 0 ? ` (${where.join(', ')})` : ''}. The reader's own message stays in the worker's log, since it may quote the data.`, {
    cause: e,
    details: { redacted: true },
  });
}

/**
 * Rebuilds the driver-side error of a failed shard job from its `failedReason`: the worker's code
 * (unknown errors become ERR_IO), with the shard and attempts in the message and details, on one
 * line. `epoch` −1 is the evaluation pass, −2 the init pass.
 */
export function shardJobError(failedReason: string | undefined, ctx: { shardId: number; epoch: number; attempts: number; shard: unknown }): SomError {
  const reason = failedReason ?? 'no reason recorded';
  const m = /^\[(ERR_[A-Z_]+)\] ([\s\S]*)$/.exec(reason);
  const code = m && (CODES as readonly string[]).includes(m[1]!) ? (m[1] as SomErrorCode) : 'ERR_IO';
  let text = m ? m[2]! : reason;
  if (/stalled more than allowable limit/.test(text)) {
    text += ' — its worker died or blocked its event loop longer than lockDuration, twice';
  }
  const where = ctx.epoch >= 0 ? `epoch ${ctx.epoch}` : ctx.epoch === -1 ? 'the evaluation pass' : 'the init pass';
  const outcome = ctx.epoch === -2 ? 'The codebook was not initialised.' : 'No update was applied for this epoch.';
  return new SomError(code, `Shard ${ctx.shardId} failed in ${where} after ${ctx.attempts} attempt(s): ${oneLine(text)} (shard ${JSON.stringify(ctx.shard)}). ${outcome}`, {
    details: { shardId: ctx.shardId, epoch: ctx.epoch, attempts: ctx.attempts, shard: ctx.shard },
  });
}

/** Line breaks and runs of spaces folded: driver errors print as one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
