// docs/user-guide/errors.md lists every SomErrorCode of plugin-api with its causes (issue 17).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './packages.mjs';

describe('errors guide', () => {
  it('has a row for every code of the SomErrorCode union, and no code that does not exist', () => {
    const source = readFileSync(join(root, 'packages/plugin-api/src/SomError.ts'), 'utf8');
    const union = /export type SomErrorCode =([^;]+);/.exec(source)?.[1] ?? '';
    const codes = [...union.matchAll(/'(ERR_[A-Z_]+)'/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(10);
    const doc = readFileSync(join(root, 'docs/user-guide/errors.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(ERR_[A-Z_]+)` \| (.+) \|$/gm)].map((m) => [m[1]!, m[2]!] as const);
    const documented = rows.map(([c]) => c);
    expect(documented.filter((c) => !codes.includes(c)), 'documented codes that do not exist').toEqual([]);
    expect(codes.filter((c) => !documented.includes(c)), 'codes missing from docs/user-guide/errors.md').toEqual([]);
    for (const [code, causes] of rows) expect(causes.trim().length, `${code} has no causes`).toBeGreaterThan(20);
  });
});
