import { parseFlags, required, type FlagSpec } from '../args.js';
import { readTableFile, TABLE_FLAGS, TABLE_FLAGS_HELP } from '../tableData.js';
import type { Io } from '../Io.js';

export const inspectHelp = `Usage: somkit inspect --data FILE(.csv|.npy) [--label-column NAME] [--target NAME] [--ignore A,B]
                      [--categorical A,B] [--missing-values LIST] [--json]

Prints the schema somkit reads from a data file: per column its name, type (numeric, boolean,
categorical), role (feature, label, target, ignore), missing cells, and the distinct values
(boolean, categorical) or the range (numeric). Nothing is trained.

${TABLE_FLAGS_HELP}
  --json                 one JSON object: { rows, columns: [{ name, type, role, missing,
                         distinct | min, max }] }
`;

const FLAGS = {
  data: { type: 'string' },
  ...TABLE_FLAGS,
  json: { type: 'boolean' },
} as const;

/** The flags of `somkit inspect`. */
export const inspectFlags: FlagSpec = FLAGS;

/** `somkit inspect`: the schema of a data file. */
export async function inspect(argv: string[], io: Io): Promise<number> {
  const v = parseFlags('inspect', argv, FLAGS);
  const dataPath = required('inspect', v, 'data');
  const table = await readTableFile('inspect', io, dataPath, v);
  const columns = table.columns.map((c) => ({
    name: c.name,
    type: c.type,
    role: c.role,
    missing: c.missing,
    ...(c.type === 'numeric' ? (c.min !== undefined ? { min: c.min, max: c.max } : {}) : { distinct: c.categories?.length ?? 0 }),
  }));
  if (v.json === true) {
    io.out(`${JSON.stringify({ rows: table.n, columns })}\n`);
    return 0;
  }
  const rows = table.columns.map((c) => {
    let values: string;
    if (c.type === 'numeric') values = c.min === undefined ? 'no values' : `${c.min} … ${c.max}`;
    else {
      const shown = (c.categories ?? []).slice(0, 5).map((k) => JSON.stringify(k)).join(', ');
      const more = (c.categories?.length ?? 0) > 5 ? ', …' : '';
      values = `${c.categories?.length ?? 0} distinct: ${shown}${more}`;
    }
    return [c.name, c.type, c.role, String(c.missing), values];
  });
  const head = ['column', 'type', 'role', 'missing', 'values'];
  const width = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]): string => r.map((s, j) => (j === r.length - 1 ? s : s.padEnd(width[j]!))).join('  ');
  io.out(`${table.n} rows, ${table.columns.length} columns\n${line(head)}\n${rows.map(line).join('\n')}\n`);
  const missing = table.columns.reduce((a, c) => a + (c.role === 'feature' ? c.missing : 0), 0);
  const declared = new Set((v.categorical ?? '').split(',').map((c) => c.trim()));
  const text = table.columns.filter((c) => c.role === 'feature' && c.type === 'categorical' && !declared.has(c.name)).map((c) => c.name);
  if (text.length > 0) io.out(`text columns without a role: ${text.join(', ')} — train needs --categorical, --label-column or --ignore for them\n`);
  if (missing > 0) io.out(`${missing} missing feature cells: train handles them (missing: 'mask'), impute fills them\n`);
  return 0;
}
