/** Numbers to compare: a scalar, a typed array, or (nested) arrays such as `arraySync()` output. */
export type Numeric = number | ArrayLike<number> | ReadonlyArray<Numeric>;

/** How {@link expectClose} measures the error. */
export type CloseMode = 'abs' | 'rel';

function flatten(v: Numeric, out: number[]): number[] {
  if (typeof v === 'number') out.push(v);
  else if (Array.isArray(v)) for (const e of v as ReadonlyArray<Numeric>) flatten(e, out);
  else for (let i = 0; i < (v as ArrayLike<number>).length; i++) out.push((v as ArrayLike<number>)[i] as number);
  return out;
}

function errorOf(a: number, e: number, mode: CloseMode): number {
  if (Number.isNaN(a) || Number.isNaN(e)) return Number.isNaN(a) && Number.isNaN(e) ? 0 : Infinity;
  if (a === e) return 0; // also equal infinities
  const diff = Math.abs(a - e);
  if (mode === 'abs') return diff;
  return e === 0 ? Infinity : diff / Math.abs(e);
}

const fmt = (v: number): string => {
  const s = String(v);
  return s.length <= 10 ? s : v.toPrecision(7);
};

/**
 * Asserts that `actual` ≈ `expected` element-wise and, when not, says where it is worst.
 *
 * `'abs'` (default): |a − e| ≤ tol. `'rel'`: |a − e| ≤ tol·|e| (so e = 0 needs a = 0). NaN matches
 * only NaN. A scalar `expected` is compared with every element of `actual`.
 *
 * ```ts
 * expectClose(await d.data(), [0, 1.4142135, 2], 1e-5);
 * expectClose(lr, 0.5, 1e-9, 'rel');
 * ```
 *
 * @throws Error `expectClose: 2 of 6 elements differ by more than 1e-5 (abs); worst at [3]: …`
 */
export function expectClose(actual: Numeric, expected: Numeric, tol = 1e-5, mode: CloseMode = 'abs', label?: string): void {
  const a = flatten(actual, []);
  const eFlat = flatten(expected, []);
  const prefix = label === undefined ? 'expectClose' : `expectClose (${label})`;
  const e = typeof expected === 'number' ? a.map(() => expected) : eFlat;
  if (a.length !== e.length) {
    throw new Error(`${prefix}: expected ${e.length} elements, got ${a.length}.`);
  }
  let worst = -1;
  let worstErr = -1;
  const bad: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const err = errorOf(a[i] as number, e[i] as number, mode);
    if (err > tol) {
      bad.push(i);
      if (err > worstErr) {
        worstErr = err;
        worst = i;
      }
    }
  }
  if (bad.length === 0) return;
  const at = (i: number): string => `[${i}] ${fmt(a[i] as number)} vs ${fmt(e[i] as number)}`;
  const measure = mode === 'abs' ? '|diff|' : '|diff|/|expected|';
  throw new Error(
    `${prefix}: ${bad.length} of ${a.length} elements differ by more than ${tol} (${mode}).\n` +
      `  worst at [${worst}]: actual ${fmt(a[worst] as number)}, expected ${fmt(e[worst] as number)} (${measure} ${fmt(worstErr)})\n` +
      `  first mismatches (actual vs expected): ${bad.slice(0, 5).map(at).join('; ')}${bad.length > 5 ? '; …' : ''}`,
  );
}
