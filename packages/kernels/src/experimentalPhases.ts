/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Epochs of the three phases of fastsom's `ExperimentalSomTrainer` for T epochs:
 * max(1, round(0.16·T)), round(0.5·T) (Python rounding), and the rest (fastsom's round(0.34·T)
 * can leave the phases one epoch short of, or past, T). The first phase has at least one epoch so
 * the schedules start at their initial value as every schedule does (fastsom's has none for
 * T ≤ 3). Internal helper of the experimental schedules.
 */
export function experimentalPhases(total: number): [number, number, number] {
  const p1 = Math.max(1, roundHalfEven(0.16 * total));
  const p2 = Math.min(total - p1, roundHalfEven(0.5 * total));
  return [p1, Math.max(0, p2), Math.max(0, total - p1 - p2)];
}
