import { describe, expect, it } from 'vitest';
import { StepPacer } from './StepPacer.js';

describe('StepPacer', () => {
  it('starts with one step, then fills the budget from the last timed call', () => {
    const p = new StepPacer(25);
    expect(p.next()).toBe(1);
    p.record(1, 2);
    expect(p.next()).toBe(12);
    p.record(12, 60);
    expect(p.next()).toBe(5);
  });

  it('never goes below one step or above MAX_STEPS', () => {
    const p = new StepPacer(25);
    p.record(1, 1000);
    expect(p.next()).toBe(1);
    p.record(10, 0);
    expect(p.next()).toBe(StepPacer.MAX_STEPS);
  });

  it('a zero budget (yieldEvery: "batch" or 0 ms) means one step per call', () => {
    const p = new StepPacer(0);
    p.record(1, 0.5);
    expect(p.next()).toBe(1);
  });
});
