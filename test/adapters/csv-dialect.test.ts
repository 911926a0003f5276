import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbQueryEngine, malformedCsvRow } from '../../lambdas/adapters/local/duckdb-query-engine.ts';
import { InputContractError } from '../../lambdas/core/errors.ts';

const HEADER = 'account_id,invoice_id,booked_on,amount,currency,product';

/** A revenue_lines CSV of `plain` unquoted rows, then the given rows: the first quoted field far past any sample. */
function writeLines(plain: number, tail: readonly string[], delimiter = ','): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'revseg-csv-'));
  const rows = [HEADER.replaceAll(',', delimiter)];
  for (let i = 1; i <= plain; i++)
    rows.push(['A1', `I${i}`, '2026-01-05', '10.00', 'USD', 'Widget'].join(delimiter));
  rows.push(...tail);
  const file = path.join(dir, 'revenue_lines.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

async function readAll(file: string, csvDelimiter?: string): Promise<Record<string, unknown>[]> {
  const engine = await DuckDbQueryEngine.create({
    inputs: { revenue_lines: { path: file, format: 'csv' } },
    threads: 1,
    csvDelimiter,
  });
  try {
    return await engine.query('SELECT * FROM revenue_lines ORDER BY invoice_id');
  } finally {
    await engine.close();
  }
}

describe('CSV inputs are read with an explicit RFC 4180 dialect, never a sniffed one', () => {
  it('reads a quoted amount and a product with a comma 30,000 rows down, past any sample', async () => {
    const file = writeLines(30_000, [
      'A2,Z1,2026-01-06,"1,250,000.00",USD,"Widget, large"',
      'A2,Z2,2026-01-07,5.00,USD,"say ""hi"""',
    ]);
    const rows = await readAll(file);
    expect(rows).toHaveLength(30_002);
    expect(rows.find((r) => r.invoice_id === 'Z1')).toMatchObject({
      amount: '1,250,000.00',
      product: 'Widget, large',
    });
    expect(rows.find((r) => r.invoice_id === 'Z2')?.product).toBe('say "hi"');
  });

  it('stops on a malformed row with one line naming the file, the line and the problem', async () => {
    const file = writeLines(3_000, ['A2,Z1,2026-01-06,5.00,USD,Widget,extra']);
    const error = await readAll(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputContractError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`${file} line 3002: expected 6 fields, found 7`);
    expect(message).not.toMatch(/strict_mode|Possible fixes/);
  });

  it('reads another delimiter when configured, and refuses one that cannot be a delimiter', async () => {
    const file = writeLines(10, ['A2;Z1;2026-01-06;1.250,50;EUR;"a; b"'], ';');
    const rows = await readAll(file, ';');
    expect(rows.find((r) => r.invoice_id === 'Z1')).toMatchObject({ amount: '1.250,50', product: 'a; b' });
    await expect(readAll(file, '"')).rejects.toThrow(/CSV delimiter "\\"" is not one character/);
  });

  it('leaves errors that are not about a CSV row alone', () => {
    expect(malformedCsvRow('Binder Error: column "x" not found')).toBeNull();
  });
});
