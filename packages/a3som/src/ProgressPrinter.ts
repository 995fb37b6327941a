import type { Callbacks, Logs } from './FitOptions.js';

import type { Verbose } from './Verbose.js';

export type { Verbose } from './Verbose.js';

interface Stdout {
  isTTY?: boolean;
  write(s: string): unknown;
}

/** Node's standard output when there is one (no import: the package stays portable). */
function stdout(): Stdout | undefined {
  return (globalThis as { process?: { stdout?: Stdout } }).process?.stdout;
}

/**
 * Writes text to standard output, as Keras prints: `process.stdout` in Node, else one
 * `console.log` per line (browsers). Keras-style `verbose` / `summary` printing only.
 */
export function writeStdout(text: string): void {
  const out = stdout();
  if (out !== undefined && typeof out.write === 'function') {
    out.write(text);
    return;
  }
  // Keras-style printing (verbose / summary) in a browser: the console is standard output there.
  const c = (globalThis as { console?: { log(s: string): void } }).console;
  for (const line of text.replace(/\n$/, '').split('\n')) c?.log(line.replace(/^\r/, ''));
}

/** `'auto'` → 1 when standard output is a terminal, else 2 (Keras). */
export function resolveVerbose(v: Verbose): 0 | 1 | 2 {
  return v === 'auto' ? (stdout()?.isTTY === true ? 1 : 2) : v;
}

function value(v: number): string {
  return Number.isFinite(v) && Math.abs(v) < 1e4 ? v.toFixed(4) : String(Number(v.toPrecision(4)));
}

function metrics(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'size')
    .map(([k, v]) => ` - ${k}: ${value(v)}`)
    .join('');
}

function duration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms)}ms`;
}

/**
 * Keras' `ProgbarLogger` as an A3SOM callback. Verbose 1: `Epoch e/E`, then a progress bar
 * redrawn (`\r`) after each batch with the running mean of the batch logs, closed by the epoch's
 * logs. Verbose 2: `Epoch e/E` and one line per epoch (`steps/steps - 1s - 12ms/step - loss: …`).
 */
export class ProgressPrinter implements Callbacks {
  private t0 = 0;
  private sums: Record<string, number> = {};
  private counts: Record<string, number> = {};

  /**
   * @param mode - 1 (progress bar) or 2 (one line per epoch)
   * @param epochs - total epochs of the schedule (the `E` of `Epoch e/E`)
   * @param steps - batches per epoch
   * @param write - where text goes (default: standard output)
   */
  constructor(
    private readonly mode: 1 | 2,
    private readonly epochs: number,
    private readonly steps: number,
    private readonly write: (text: string) => void = writeStdout,
  ) {}

  onEpochBegin(epoch: number): void {
    this.t0 = Date.now();
    this.sums = {};
    this.counts = {};
    this.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  onBatchEnd(batch: number, logs: Logs): void {
    if (this.mode !== 1) return;
    for (const [k, v] of Object.entries(logs)) {
      if (k === 'size' || Number.isNaN(v)) continue;
      // Running means of the losses and metrics (Keras); the temperature as it is now.
      const keep = k === 'temperature';
      this.sums[k] = keep ? v : (this.sums[k] ?? 0) + v;
      this.counts[k] = keep ? 1 : (this.counts[k] ?? 0) + 1;
    }
    const running: Logs = {};
    for (const k of Object.keys(this.sums)) running[k] = this.sums[k]! / this.counts[k]!;
    const done = batch + 1;
    const eta = ((Date.now() - this.t0) / done) * (this.steps - done);
    this.write(`\r${this.bar(done)} - ETA: ${duration(eta)}${metrics(running)}`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const ms = Date.now() - this.t0;
    const perStep = `${Math.round(ms / Math.max(1, this.steps))}ms/step`;
    if (this.mode === 1) this.write(`\r${this.bar(this.steps)} - ${duration(ms)} ${perStep}${metrics(logs)}\n`);
    else this.write(`${this.steps}/${this.steps} - ${duration(ms)} - ${perStep}${metrics(logs)}\n`);
  }

  private bar(done: number): string {
    const width = 30;
    const filled = Math.floor((width * done) / this.steps);
    const body = done >= this.steps ? '='.repeat(width) : '='.repeat(Math.max(0, filled - 1)) + '>' + '.'.repeat(width - Math.max(1, filled));
    const w = String(this.steps).length;
    return `${String(done).padStart(w)}/${this.steps} [${body}]`;
  }
}
