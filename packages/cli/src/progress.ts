import type { Io } from './Io.js';

/** A one-line progress bar on stderr, drawn only on a terminal (never with `--quiet`). */
export function progressBar(io: Io, total: number, label: string): { update(done: number, note: string): void; end(): void } {
  if (!io.isTTY || io.verbosity === 'quiet') return { update() {}, end() {} };
  const width = 28;
  return {
    update(done, note) {
      const filled = Math.round((done / total) * width);
      io.err(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${note}\x1b[K`);
    },
    end() {
      io.err('\n');
    },
  };
}
