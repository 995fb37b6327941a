import { Rng } from '@somkit/geometry';
import { isSomError } from '@somkit/plugin-api';

/** Options of {@link fuzzCases}. */
export interface FuzzCasesOptions {
  /** How many mutated inputs to try. */
  cases: number;
  /** Seed of the {@link Rng} handed to `mutate` (one stream for all cases: same seed, same inputs). */
  seed: number;
  /** A case over this many milliseconds is a failure. */
  caseMs: number;
  /** One mutated input, drawn from `rng`. */
  mutate: (rng: Rng) => string;
  /** Loads and uses the input; resolves (success) or throws (a coded SomError is fine). Disposes what it made. */
  run: (text: string) => Promise<void>;
  /** Characters of the input quoted in a failure. Default 300. */
  quote?: number;
}

/** What {@link fuzzCases} saw: the failures (a non-SomError throw, a slow case) and the outcome counts. */
export interface FuzzCasesResult {
  failures: string[];
  outcomes: { ok: number; coded: number };
}

/**
 * The bounded fuzz loop of the model-file tests: `cases` seeded mutations, each run and timed.
 * A success or a coded `SomError` is fine; any other throw (TypeError, RangeError from a stack
 * overflow) or a case over `caseMs` is a failure quoting the input. Assert on the result:
 *
 * ```ts
 * const r = await fuzzCases({ cases: 1000, seed: 17, caseMs: 2000, mutate, run: async (text) => { … } });
 * expect(r.failures.slice(0, 5)).toEqual([]);
 * expect(r.outcomes.coded).toBeGreaterThan(300); // the mutations reach both outcomes
 * ```
 */
export async function fuzzCases(options: FuzzCasesOptions): Promise<FuzzCasesResult> {
  const { cases, seed, caseMs, mutate, run, quote = 300 } = options;
  const rng = new Rng(seed);
  const failures: string[] = [];
  const outcomes = { ok: 0, coded: 0 };
  for (let c = 0; c < cases; c++) {
    const text = mutate(rng);
    const t0 = Date.now();
    try {
      await run(text);
      outcomes.ok++;
    } catch (e) {
      if (isSomError(e)) outcomes.coded++;
      else failures.push(`case ${c}: ${String(e).slice(0, 200)} — input ${text.slice(0, quote)}`);
    }
    const ms = Date.now() - t0;
    if (ms > caseMs) failures.push(`case ${c}: took ${ms} ms — input ${text.slice(0, quote)}`);
  }
  return { failures, outcomes };
}
