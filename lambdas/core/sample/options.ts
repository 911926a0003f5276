import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { parseIsoDay } from './calendar.ts';

/** What the sample book should look like; everything but `asOf` has a default. */
export interface SampleBookOptions {
  /**
   * Approximate number of revenue lines to generate (the result says how many were written).
   * The number of accounts scales with it: one per `linesPerAccount(years)` lines, at least 50.
   * @default 20_000
   */
  readonly lines?: number;
  /** Years of history, ending the day before `asOf`. @default 3 */
  readonly years?: number;
  /** Seed of every random choice; the same options always give the same book. @default 42 */
  readonly seed?: number;
  /** The "today" of the book (ISO date): revenue lines are dated up to the day before. */
  readonly asOf: string;
  /** Whether to plant one small group of bad rows per quarantine reason. @default true */
  readonly plantProblems?: boolean;
  /** Number of account owners (sales reps). @default 20 */
  readonly owners?: number;
  /**
   * Invoice accounts in DE, FR, NL, ES, IT and IE in EUR and in GB in GBP, with a monthly fx_rates table to
   * USD (the reporting currency); false invoices everything in USD and writes no fx_rates. @default true
   */
  readonly multiCurrency?: boolean;
}

export const sampleBookOptionsSchema = z.object({
  lines: z.number().int().min(1).max(1_000_000_000).default(20_000),
  years: z.number().int().min(1).max(20).default(3),
  seed: z.number().int().min(-2_147_483_648).max(4_294_967_295).default(42),
  asOf: z.string().refine((value) => parseIsoDay(value) !== undefined, 'use an ISO date YYYY-MM-DD'),
  plantProblems: z.boolean().default(true),
  owners: z.number().int().min(1).max(100).default(20),
  multiCurrency: z.boolean().default(true),
});

export type ResolvedSampleBookOptions = z.infer<typeof sampleBookOptionsSchema>;

/** Validates the options and fills in defaults; every problem is reported at once. */
export function resolveSampleBookOptions(options: SampleBookOptions): ResolvedSampleBookOptions {
  const result = sampleBookOptionsSchema.safeParse(options);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`sample book options are invalid:\n  - ${problems.join('\n  - ')}`);
}

/** Revenue lines per account: more history means more lines per account, within 60..250. */
export function linesPerAccount(years: number): number {
  return Math.min(250, Math.max(60, 25 * years));
}

/** Number of accounts for a target line count. */
export function accountCount(lines: number, years: number): number {
  return Math.max(50, Math.round(lines / linesPerAccount(years)));
}
