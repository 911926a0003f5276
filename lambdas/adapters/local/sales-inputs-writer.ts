import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { salesInputsCsv } from '../../core/sample/sales-inputs.ts';
import type { SampleBook } from '../../core/sample/sample-book.ts';

/** The optional inputs of issue 6 (sales efficiency and profitability) that the sample book can include. */
export const SALES_INPUT_TABLES = ['opportunities', 'costs'] as const;
export type SalesInputTable = (typeof SALES_INPUT_TABLES)[number];

/**
 * Writes the book's opportunities and costs as `<outDir>/<table>.csv` (each through a temporary file, so an
 * interrupted run leaves no half-written table), or, when `include` is false, removes those tables left by a
 * previous book so the folder never mixes two books. Returns the written files by table (empty when not included).
 */
export async function writeSalesInputs(
  book: SampleBook,
  outDir: string,
  include: boolean,
): Promise<Partial<Record<SalesInputTable, string>>> {
  const stale = (table: string, ext: string) => rm(join(outDir, `${table}.${ext}`), { force: true });
  if (!include) {
    await Promise.all(SALES_INPUT_TABLES.flatMap((t) => [stale(t, 'csv'), stale(t, 'parquet')]));
    return {};
  }
  const texts = salesInputsCsv(book);
  const files: Partial<Record<SalesInputTable, string>> = {};
  for (const table of SALES_INPUT_TABLES) {
    const file = join(outDir, `${table}.csv`);
    const temp = join(outDir, `.${table}.${randomUUID()}.tmp`);
    try {
      await writeFile(temp, texts[table], 'utf8');
      await rename(temp, file);
    } finally {
      await rm(temp, { force: true });
    }
    await stale(table, 'parquet');
    files[table] = file;
  }
  return files;
}
