/**
 * Every error code somkit throws. Codes are stable strings: match on `err.code`, never on the
 * message text.
 */
export type SomErrorCode =
  | 'ERR_SHAPE_MISMATCH'
  | 'ERR_NON_FINITE'
  | 'ERR_EMPTY_INPUT'
  | 'ERR_INVALID_INPUT'
  | 'ERR_INVALID_CONFIG'
  | 'ERR_UNKNOWN_PLUGIN'
  | 'ERR_API_VERSION'
  | 'ERR_BACKEND_UNSUPPORTED'
  | 'ERR_MODEL_FORMAT'
  | 'ERR_PARSE'
  | 'ERR_NOT_FITTED'
  | 'ERR_ABORTED'
  | 'ERR_IO';

/**
 * The one error class of somkit. The message says what was expected, what was received and how
 * to fix it; `code` is for programs.
 *
 * ```ts
 * try { som.fit(data) } catch (e) { if (isSomError(e, 'ERR_NON_FINITE')) … }
 * ```
 */
export class SomError extends Error {
  override readonly name = 'SomError';
  readonly code: SomErrorCode;
  /** Optional structured context (field name, row, column, …). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: SomErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }
}

/** True when `e` is a {@link SomError}, optionally with the given code. Works across package copies. */
export function isSomError(e: unknown, code?: SomErrorCode): e is SomError {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { name?: unknown; code?: unknown };
  return err.name === 'SomError' && typeof err.code === 'string' && (code === undefined || err.code === code);
}
