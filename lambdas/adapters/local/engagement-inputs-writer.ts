import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { engagementInputsCsv } from '../../core/sample/engagement-inputs.ts';
import type { SampleBook } from '../../core/sample/sample-book.ts';

/** The optional inputs of issue 8 that the sample book can include. */
export const ENGAGEMENT_INPUT_TABLES = ['activities', 'segment_overrides', 'campaign_responses'] as const;
export type EngagementInputTable = (typeof ENGAGEMENT_INPUT_TABLES)[number];

/**
 * Writes the book's activities, segment overrides and campaign responses as `<outDir>/<table>.csv` (each
 * through a temporary file, so an interrupted run leaves no half-written table), or, when `include` is
 * false, removes those tables left by a previous book so the folder never mixes two books.
 * Returns the written files by table (empty when not included).
 */
export async function writeEngagementInputs(
  book: SampleBook,
  outDir: string,
  include: boolean,
): Promise<Partial<Record<EngagementInputTable, string>>> {
  const stale = (table: string, ext: string) => rm(join(outDir, `${table}.${ext}`), { force: true });
  if (!include) {
    await Promise.all(ENGAGEMENT_INPUT_TABLES.flatMap((t) => [stale(t, 'csv'), stale(t, 'parquet')]));
    return {};
  }
  const texts = engagementInputsCsv(book);
  const files: Partial<Record<EngagementInputTable, string>> = {};
  for (const table of ENGAGEMENT_INPUT_TABLES) {
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
