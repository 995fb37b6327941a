import { Preprocessing } from '@somkit/datasets';
import type { ReportColumn } from '@somkit/report';

/**
 * The codebook in the training table's original columns, for the report's component planes:
 * numeric columns in their units, boolean and categorical ones as the most likely value per unit.
 * Undefined for a model without a table pipeline.
 * @param weights - codebook [u, d] in the pipeline's transformed dims
 */
export function reportColumns(preprocessing: unknown, weights: Float32Array, units: number): ReportColumn[] | undefined {
  if (preprocessing === undefined) return undefined;
  const pp = Preprocessing.fromJSON(preprocessing);
  const rows = pp.inverse({ data: weights, shape: [units, pp.dims] });
  return pp.columns.map((c, j): ReportColumn => {
    if (c.type === 'numeric') return { name: c.name, type: 'numeric', values: Float32Array.from(rows, (r) => (r[j] as { value: number }).value) };
    const cells = rows.map((r) => r[j]!);
    const categories = categoriesOf(pp, c.name);
    return {
      name: c.name,
      type: 'categorical',
      categories,
      unitCategory: Int32Array.from(cells, (x) => categories.indexOf(x.text)),
      share: Float32Array.from(cells, (x) => ('share' in x ? x.share : 1)),
    };
  });
}

/** The values of a categorical or boolean column of the pipeline, in their saved order (boolean: false, true as written). */
function categoriesOf(pp: Preprocessing, name: string): string[] {
  const col = pp.toJSON().columns.find((c) => c.name === name);
  if (col?.type === 'categorical') return [...col.categories];
  if (col?.type === 'boolean') return [...col.values];
  return [];
}
