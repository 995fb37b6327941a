/** Log levels, from silent to chatty. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** Where log records go. The default forwards to the host's console. */
export type LogSink = (level: Exclude<LogLevel, 'silent'>, message: string) => void;

const ORDER: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

interface LoggerState { level: LogLevel; sink: LogSink; once: Set<string> }

const KEY = Symbol.for('somkit.logger@1');

function defaultSink(level: Exclude<LogLevel, 'silent'>, message: string): void {
  // The single place where somkit talks to the console; everything else goes through `logger`.
  const c = (globalThis as unknown as { console?: Record<string, (...a: unknown[]) => void> }).console;
  const fn = c?.[level === 'debug' ? 'debug' : level];
  fn?.call(c, `[somkit] ${message}`);
}

function state(): LoggerState {
  const g = globalThis as unknown as Record<symbol, LoggerState | undefined>;
  let s = g[KEY];
  if (s === undefined) {
    s = { level: 'warn', sink: defaultSink, once: new Set() };
    g[KEY] = s;
  }
  return s;
}

/**
 * The levelled logger every somkit package uses (shared across package copies).
 *
 * ```ts
 * logger.setLevel('silent');            // quiet
 * logger.setSink((lvl, msg) => myLog(lvl, msg));
 * ```
 */
export const logger = {
  setLevel(level: LogLevel): void { state().level = level; },
  getLevel(): LogLevel { return state().level; },
  setSink(sink: LogSink | undefined): void { state().sink = sink ?? defaultSink; },
  log(level: Exclude<LogLevel, 'silent'>, message: string): void {
    const s = state();
    if (ORDER[level] <= ORDER[s.level]) s.sink(level, message);
  },
  error(message: string): void { logger.log('error', message); },
  warn(message: string): void { logger.log('warn', message); },
  info(message: string): void { logger.log('info', message); },
  debug(message: string): void { logger.log('debug', message); },
  /** Warn once per distinct key for the life of the process. */
  warnOnce(key: string, message: string): void {
    const s = state();
    if (s.once.has(key)) return;
    s.once.add(key);
    logger.warn(message);
  },
};
