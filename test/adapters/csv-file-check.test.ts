import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCsvHeader, findRaggedRow } from '../../lambdas/adapters/local/csv-file-check.ts';
import { DuckDbQueryEngine } from '../../lambdas/adapters/local/duckdb-query-engine.ts';
import { InputContractError } from '../../lambdas/core/errors.ts';

const HEADER = 'account_id,invoice_id,booked_on,amount,currency,product';
const row = (i: number) =>
  `A${i},INV-${i},2026-01-${String((i % 28) + 1).padStart(2, '0')},${i}.50,USD,Platform`;
const rows = (n: number) => Array.from({ length: n }, (_, i) => row(i + 1));

describe('CSV files the reader would otherwise guess around', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const open = (revenueLines: string) =>
    DuckDbQueryEngine.create({
      inputs: {
        revenue_lines: { path: revenueLines, format: 'csv' },
        accounts: { path: file('accounts.csv', 'account_id,account_name\nA1,Acme\n'), format: 'csv' },
      },
    });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'revseg-csv-check-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an empty file is named as empty, not as lacking its columns (found: column0)', async () => {
    const empty = file('empty.csv', '');
    await expect(open(empty)).rejects.toThrow(
      `input ${empty} for revenue_lines is empty: export revenue_lines with a header row and its rows`,
    );
    await expect(checkCsvHeader(file('blank.csv', '\n\n'), 'revenue_lines')).rejects.toBeInstanceOf(
      InputContractError,
    );
  });

  it('a column named twice in the header stops the run instead of reading the first one', async () => {
    const dup = file('dup.csv', `${HEADER.replace('product', 'Amount')}\n${rows(3).join('\n')}\n`);
    await expect(open(dup)).rejects.toThrow(
      `input ${dup} for revenue_lines has the column amount twice in its header (columns 4 and 6): rename or drop one`,
    );
  });

  it('a row with fields missing is named by its line number', async () => {
    const lines = rows(40);
    lines[30] = 'A31,INV-31,2026-01-04';
    const ragged = file('ragged.csv', `${HEADER}\n${lines.join('\n')}\n`);
    await expect(open(ragged)).rejects.toThrow(
      `input ${ragged} for revenue_lines: line 32 has 3 fields where the header has 6: fix that row (a missing or extra delimiter, or an unclosed quote)`,
    );
  });

  it('counts quoted delimiters and line breaks as part of the field, semicolons as a delimiter', async () => {
    const quoted = file(
      'quoted.csv',
      `${HEADER}\nA1,INV-1,2026-01-01,1.5,USD,"Plat, ""form""\nwith a note"\n${row(2)}\n`,
    );
    expect(await findRaggedRow(quoted)).toBeUndefined();
    const semicolons = file('semi.csv', 'a;b;c\r\n1;2;3\r\n4;5\r\n');
    expect(await findRaggedRow(semicolons)).toEqual({ line: 3, fields: 2, expected: 3 });
    await expect(checkCsvHeader(quoted, 'revenue_lines')).resolves.toBeUndefined();
  });
});
