/**
 * How many minibatch steps core hands an engine's `minibatchSteps` hook per call, so one call
 * takes about the `yieldEvery` budget: abort signals and event-loop turns are honoured between
 * calls, while a call is long enough to amortise its fixed costs. Internal.
 */
export class StepPacer {
  /** Most steps per call, whatever the budget (a call's outputs grow with it). */
  static readonly MAX_STEPS = 64;
  private msPerStep: number | undefined;

  /** @param budgetMs - wanted duration of one call; ≤ 0 means one step per call. */
  constructor(private readonly budgetMs: number) {}

  /** Steps for the next call: one until a call was timed, then as many as fit the budget (1 … MAX_STEPS). */
  next(): number {
    if (!(this.budgetMs > 0) || this.msPerStep === undefined) return 1;
    const fit = Math.floor(this.budgetMs / Math.max(this.msPerStep, 1e-3));
    return Math.max(1, Math.min(StepPacer.MAX_STEPS, fit));
  }

  /** Records that a call of `steps` steps took `ms` milliseconds. */
  record(steps: number, ms: number): void {
    if (steps > 0 && ms >= 0) this.msPerStep = ms / steps;
  }
}
