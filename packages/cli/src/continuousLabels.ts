import { SomError } from '@somkit/plugin-api';

/** More distinct values than this, with one of them not an integer, and a label column looks continuous. */
export const MAX_CLASSES_FOR_NUMBERS = 20;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Whether the distinct texts of a label column look like a continuous quantity rather than
 * classes: every text is a decimal number, there are more than {@link MAX_CLASSES_FOR_NUMBERS}
 * distinct ones, and at least one is not an integer (`151.5`; `151.0` counts as an integer).
 * Text classes, integer codes and up to 20 decimal values (grades 0.5, 1.0, …) pass.
 * @param distinct - the distinct label texts (a table's `labelNames`)
 */
export function looksContinuous(distinct: readonly string[]): boolean {
  if (distinct.length <= MAX_CLASSES_FOR_NUMBERS) return false;
  let fraction = false;
  for (const t of distinct) {
    if (!DECIMAL.test(t)) return false;
    if (!Number.isInteger(Number(t))) fraction = true;
  }
  return fraction;
}

/**
 * Refuses a `--label-column` whose values look continuous (see {@link looksContinuous}),
 * pointing to `--target`.
 * @throws SomError `ERR_INVALID_INPUT`
 */
export function refuseContinuousLabels(command: string, column: string | undefined, labelNames: readonly string[] | undefined): void {
  if (column === undefined || labelNames === undefined || !looksContinuous(labelNames)) return;
  const examples = labelNames.slice(0, 3).join(', ');
  throw new SomError(
    'ERR_INVALID_INPUT',
    `--label-column ${JSON.stringify(column)} looks continuous, not like classes: ${labelNames.length} distinct numbers, some not integers (e.g. ${examples}); somkit ${command} would make each value a class. For a numeric regression target use --target ${column}.`,
    { details: { column, distinct: labelNames.length } },
  );
}
