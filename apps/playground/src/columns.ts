// The column table of an uploaded CSV: the default role of each column (from its inferred type),
// the re-read of the file with the roles the user picked, and the HTML of the table itself.
import {
  fitPreprocessing,
  parseTable,
  type ColumnRole,
  type ParseTableOptions,
  type Preprocessing,
  type Scaling,
  type Table,
  type TableColumn,
  type TransformedTable,
} from '@somkit/datasets';

/** A text column with more distinct values than this is ignored by default (too many to one-hot). */
export const MAX_DEFAULT_CATEGORIES = 30;

/** What the user (or the defaults) chose for one column. */
export interface ColumnChoice {
  role: ColumnRole;
  /** Read as categorical even when integer-coded (the `categorical` option of `parseTable`). */
  categorical: boolean;
  /** Why the default role was chosen; replaced by "chosen in the page" once the user changes it. */
  why: string;
}

/** An uploaded CSV and the choices made for its columns. */
export interface CsvSource {
  name: string;
  text: string;
  /** The file read with no roles: the inferred type, missing count and values of every column. */
  inferred: Table;
  choices: Map<string, ColumnChoice>;
  scaling: Scaling;
}

/** The file re-read with the chosen roles, the fitted pipeline and the [n, d] matrix it gives. */
export interface CsvRead {
  table: Table;
  pp: Preprocessing;
  transformed: TransformedTable;
}

/** The rule the page states under the table (keep it in step with {@link defaultChoices}). */
export const DEFAULTS_NOTE =
  'Defaults: number and yes/no columns are features. A text column with at most ' +
  `${MAX_DEFAULT_CATEGORIES} distinct values is a categorical (one-hot) feature, except the last such ` +
  'column with no missing cell, which becomes the label (it colours the hit map) when no column is ' +
  `the label yet. A text column with a different value in every row (an id) or more than ${MAX_DEFAULT_CATEGORIES} ` +
  'values, and a column with every cell missing, are ignored. A changed role re-reads the file; press Train to train with it.';

/**
 * Default roles from the inferred types, following {@link DEFAULTS_NOTE}.
 * @param t - the file read with no roles (every column a feature)
 */
export function defaultChoices(t: Table): Map<string, ColumnChoice> {
  const choices = new Map<string, ColumnChoice>();
  const labelCandidates: string[] = [];
  for (const c of t.columns) {
    const observed = t.n - c.missing;
    if (observed === 0) {
      choices.set(c.name, { role: 'ignore', categorical: false, why: 'every cell is missing: ignored' });
      continue;
    }
    if (c.type !== 'categorical') {
      choices.set(c.name, { role: 'feature', categorical: false, why: `${c.type === 'boolean' ? 'yes/no' : 'numbers'}: feature` });
      continue;
    }
    const distinct = c.categories?.length ?? 0;
    if (distinct === observed && observed > 1) {
      choices.set(c.name, { role: 'ignore', categorical: false, why: 'text, a different value in every row (an id?): ignored' });
    } else if (distinct > MAX_DEFAULT_CATEGORIES) {
      choices.set(c.name, { role: 'ignore', categorical: false, why: `text, ${distinct} distinct values (more than ${MAX_DEFAULT_CATEGORIES}): ignored` });
    } else {
      choices.set(c.name, { role: 'feature', categorical: false, why: `text, ${distinct} value${distinct === 1 ? '' : 's'}: categorical feature (one-hot)` });
      if (c.missing === 0 && distinct >= 2) labelCandidates.push(c.name);
    }
  }
  const label = labelCandidates.at(-1);
  if (label !== undefined) {
    const c = t.columns.find((k) => k.name === label);
    choices.set(label, { role: 'label', categorical: false, why: `text, ${c?.categories?.length ?? 0} values, the last such column: label` });
  }
  return choices;
}

/** The `parseTable` options of the choices. */
export function parseOptions(src: CsvSource): ParseTableOptions {
  const opts: { labelColumn?: string; target?: string; ignore: string[]; categorical: string[] } = { ignore: [], categorical: [] };
  for (const [name, ch] of src.choices) {
    if (ch.role === 'label') opts.labelColumn = name;
    else if (ch.role === 'target') opts.target = name;
    else if (ch.role === 'ignore') opts.ignore.push(name);
    if (ch.categorical && ch.role !== 'label') opts.categorical.push(name);
  }
  return opts;
}

/**
 * Re-reads the file with the chosen roles and fits the pipeline on it.
 * @throws SomError from `parseTable`, `fitPreprocessing` or `transform` (shown in the page as is)
 */
export function readCsv(src: CsvSource): CsvRead {
  const table = parseTable(src.text, parseOptions(src));
  const pp = fitPreprocessing(table, { scaling: src.scaling });
  return { table, pp, transformed: pp.transform(table) };
}

/** The columns of each role, for the status line: `features a, b (categorical); label c; ignored d`. */
export function describeRoles(table: Table): string {
  const of = (role: ColumnRole): TableColumn[] => table.columns.filter((c) => c.role === role);
  const feats = of('feature').map((c) => (c.type === 'numeric' ? c.name : `${c.name} (${c.type})`));
  const parts = [`features ${feats.join(', ')}`];
  for (const [role, word] of [['label', 'label'], ['target', 'target'], ['ignore', 'ignored']] as const) {
    const cs = of(role);
    if (cs.length > 0) parts.push(`${word} ${cs.map((c) => c.name).join(', ')}`);
  }
  return parts.join('; ');
}

/** Sets the role of one column; a second label or target turns the previous one into a feature. */
export function setRole(src: CsvSource, name: string, role: ColumnRole): void {
  const ch = src.choices.get(name);
  if (ch === undefined) return;
  if (role === 'label' || role === 'target') {
    for (const [other, o] of src.choices) {
      if (other !== name && o.role === role) src.choices.set(other, { ...o, role: 'feature', why: `was the ${role}; a feature now (one ${role} at most)` });
    }
  }
  src.choices.set(name, { ...ch, role, why: 'chosen in the page' });
}

const ROLES: readonly ColumnRole[] = ['feature', 'label', 'target', 'ignore'];

function escapeHtml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function summary(c: TableColumn): string {
  if (c.type === 'numeric') return c.min === undefined ? '—' : `${Number(c.min.toPrecision(4))} … ${Number((c.max ?? c.min).toPrecision(4))}`;
  const cats = c.categories ?? [];
  const shown = cats.slice(0, 4).join(', ');
  return `${cats.length}: ${shown}${cats.length > 4 ? ', …' : ''}`;
}

/**
 * The column table's HTML: one row per column with its type (as read with the current roles when
 * `read` is given, else as inferred), missing cells, values, a role selector, a "categorical"
 * checkbox and why the role was chosen. Controls carry `data-column` (the column index).
 */
export function columnTableHtml(src: CsvSource, read: Table | undefined): string {
  const rows = src.inferred.columns.map((inf, j) => {
    const col = read?.columns[j] ?? inf;
    const ch = src.choices.get(inf.name) ?? { role: 'feature', categorical: false, why: '' };
    const text = inf.type === 'categorical';
    const options = ROLES.map((r) => `<option value="${r}"${r === ch.role ? ' selected' : ''}>${r}</option>`).join('');
    const box = `<input type="checkbox" class="categorical" data-column="${j}"${text || ch.categorical ? ' checked' : ''}${text || ch.role === 'label' ? ' disabled' : ''} title="${text ? 'text columns are always categorical' : 'read this integer-coded column as categories (one-hot)'}">`;
    return (
      `<tr data-name="${escapeHtml(inf.name)}"><td>${escapeHtml(inf.name)}</td><td>${col.type}</td><td>${inf.missing}</td><td>${escapeHtml(summary(col))}</td>` +
      `<td><select class="role" data-column="${j}" aria-label="role of ${escapeHtml(inf.name)}">${options}</select></td><td>${box}</td><td class="note">${escapeHtml(ch.why)}</td></tr>`
    );
  });
  return `<table><thead><tr><th>column</th><th>type</th><th>missing</th><th>values</th><th>role</th><th>categorical</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
