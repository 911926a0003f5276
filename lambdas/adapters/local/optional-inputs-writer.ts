import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { engagementInputsCsv } from '../../core/sample/engagement-inputs.ts';
import { salesInputsCsv } from '../../core/sample/sales-inputs.ts';
import type { SampleBook } from '../../core/sample/sample-book.ts';

/** The optional inputs of issue 8 that the sample book can include. */
export const ENGAGEMENT_INPUT_TABLES = ['activities', 'segment_overrides', 'campaign_responses'] as const;
export type EngagementInputTable = (typeof ENGAGEMENT_INPUT_TABLES)[number];

/** The optional inputs of issue 6 (sales efficiency and profitability) that the sample book can include. */
export const SALES_INPUT_TABLES = ['opportunities', 'costs'] as const;
export type SalesInputTable = (typeof SALES_INPUT_TABLES)[number];

/**
 * Writes optional input tables as `<outDir>/<table>.csv` (each through a temporary file, so an interrupted run
 * leaves no half-written table), or, when `include` is false, removes those tables left by a previous book so
 * the folder never mixes two books. Returns the written files by table (empty when not included).
 */
async function writeCsvTables<T extends string>(
  tables: readonly T[],
  csv: () => Readonly<Record<T, string>>,
  outDir: string,
  include: boolean,
): Promise<Partial<Record<T, string>>> {
  const stale = (table: string, ext: string) => rm(join(outDir, `${table}.${ext}`), { force: true });
  if (!include) {
    await Promise.all(tables.flatMap((t) => [stale(t, 'csv'), stale(t, 'parquet')]));
    return {};
  }
  const texts = csv();
  const files: Partial<Record<T, string>> = {};
  for (const table of tables) {
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

/** The book's activities, segment overrides and campaign responses (see {@link writeCsvTables}). */
export function writeEngagementInputs(
  book: SampleBook,
  outDir: string,
  include: boolean,
): Promise<Partial<Record<EngagementInputTable, string>>> {
  return writeCsvTables(ENGAGEMENT_INPUT_TABLES, () => engagementInputsCsv(book), outDir, include);
}

/** The book's opportunities and costs (see {@link writeCsvTables}). */
export function writeSalesInputs(
  book: SampleBook,
  outDir: string,
  include: boolean,
): Promise<Partial<Record<SalesInputTable, string>>> {
  return writeCsvTables(SALES_INPUT_TABLES, () => salesInputsCsv(book), outDir, include);
}
