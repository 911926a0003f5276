import { quantile } from 'simple-statistics';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { employeesOf, industryKey, industryOf } from '../firmographics/firmographic-profile.ts';

/**
 * Default annual spend per employee that a customer could place with us, by industry (lower-case).
 * Placeholders to calibrate with the company's own wallet-share data; override in config.
 */
export const DEFAULT_SPEND_PER_EMPLOYEE: Readonly<Record<string, number>> = {
  software: 1500,
  'financial services': 1500,
  'professional services': 1200,
  healthcare: 800,
  manufacturing: 600,
  retail: 400,
  logistics: 500,
  education: 300,
};

const weightsDefault = { headroom: 0.5, momentum: 0.3, engagement: 0.2 };
const gemsDefault = { segments: ['Low', 'Medium'], topShare: 0.1 };

/** Growth-potential assumptions; parse with {@link parseGrowthPotentialConfig}. */
export const growthPotentialConfigSchema = z.object({
  /**
   * Annual spend per employee by industry; industry names match as the firmographic breakdowns group them
   * (`industryKey`: case and extra blanks do not matter).
   */
  spendPerEmployee: z
    .record(z.string().trim().min(1), z.number().positive())
    .default({ ...DEFAULT_SPEND_PER_EMPLOYEE })
    .transform((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [industryKey(k) ?? k, v]))),
  /** Spend per employee for an industry not listed (or unknown). @default 1000 */
  defaultSpendPerEmployee: z.number().positive().default(1000),
  /** Relative weights of the three components; a missing component's weight is spread over the others. */
  weights: z
    .object({
      headroom: z.number().min(0).default(weightsDefault.headroom),
      momentum: z.number().min(0).default(weightsDefault.momentum),
      engagement: z.number().min(0).default(weightsDefault.engagement),
    })
    .default(weightsDefault)
    .refine((w) => w.headroom + w.momentum + w.engagement > 0, 'at least one weight must be positive'),
  hiddenGems: z
    .object({
      /** Segments whose top-potential accounts are hidden gems. @default ['Low', 'Medium'] */
      segments: z.array(z.string().trim().min(1)).min(1).default(gemsDefault.segments),
      /** Share of all scored accounts at the top that counts as high potential. @default 0.1 (top decile) */
      topShare: z.number().gt(0).lt(1).default(gemsDefault.topShare),
    })
    .default(gemsDefault),
});

export type GrowthPotentialConfig = z.infer<typeof growthPotentialConfigSchema>;

/** Parses growth-potential config; the error names the field and the bad value. */
export function parseGrowthPotentialConfig(
  input: unknown,
  source = 'growth potential config',
): GrowthPotentialConfig {
  const result = growthPotentialConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
}

/** What growth potential looks at for one account (AccountFeatures fields plus optional engagement). */
export interface GrowthPotentialInput {
  readonly accountId: string;
  readonly industry: string | null;
  readonly employeeCount: number | null;
  readonly revenueT12m: number;
  readonly revenuePriorT12m: number;
  /** Monthly net revenue, oldest first (AccountFeatures.monthlyRevenue). */
  readonly monthlyRevenue: readonly number[];
  /** Engagement 0..1 (e.g. product usage, meetings); absent when not tracked. */
  readonly engagement?: number | null;
  /**
   * Engagement in words: with a score, said after it (e.g. `high engagement: 14 activities in the last 3
   * months...`); without one, why it is missing (e.g. `not available: needs activities`).
   */
  readonly engagementNote?: string;
}

/** A 0-100 growth-potential score with its components and the reasons behind it. */
export interface GrowthPotential {
  readonly accountId: string;
  /** 0-100, null when no component could be computed. */
  readonly score: number | null;
  /** Each component 0..1, null when its input is missing. */
  readonly headroom: number | null;
  readonly momentum: number | null;
  readonly engagement: number | null;
  readonly estimatedWallet: number | null;
  /** Reasons in words, the strongest contribution first, then what was missing. */
  readonly reasons: readonly string[];
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/** An account's estimated annual wallet: employees x the spend per employee of its industry. */
export interface WalletEstimate {
  readonly wallet: number;
  readonly employees: number;
  readonly perEmployee: number;
  /** The industry as configured, or null when the default spend applies. */
  readonly industry: string | null;
}

/**
 * The wallet of a company from its firmographics, read as the breakdowns read them (`employeesOf`,
 * `industryKey`); null without a usable employee count.
 */
export function estimateWallet(
  industry: string | null,
  employeeCount: number | null,
  config: Pick<GrowthPotentialConfig, 'spendPerEmployee' | 'defaultSpendPerEmployee'>,
): WalletEstimate | null {
  const employees = employeesOf(employeeCount);
  if (employees === null) return null;
  const key = industryKey(industry);
  const listed =
    key !== null && Object.hasOwn(config.spendPerEmployee, key) ? config.spendPerEmployee[key] : undefined;
  const perEmployee = listed ?? config.defaultSpendPerEmployee;
  return {
    wallet: employees * perEmployee,
    employees,
    perEmployee,
    industry: listed === undefined ? null : industryOf(industry),
  };
}

/** Headroom of a revenue in a wallet: the share of the wallet not yet captured, 0..1. */
export function walletHeadroom(revenueT12m: number, wallet: number): number {
  return clamp01(1 - Math.max(0, revenueT12m) / wallet);
}
/** Maps a growth rate onto 0..1: -100% -> 0, flat -> 0.5, +100% or more -> 1. */
const growthScore = (g: number): number => clamp01(0.5 + g / 2);
const percent = (g: number): string => `${g < 0 ? 'down' : 'up'} ${Math.round(Math.abs(g) * 100)}%`;

const wholeNumberFormats = new Map<string, Intl.NumberFormat>();

/** One whole-number formatter per locale: constructing an Intl.NumberFormat costs far more than using one. */
function wholeNumberFormat(locale: string): Intl.NumberFormat {
  let format = wholeNumberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    wholeNumberFormats.set(locale, format);
  }
  return format;
}

function sum(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0);
}

/**
 * Scores growth potential 0-100 as the weighted mean of headroom (1 - T12M / estimated wallet, the
 * wallet being employees x spend per employee of the industry), momentum (mean of the YoY and the
 * last-3-months-on-previous-3 growth, each mapped -100%..+100% onto 0..1) and engagement.
 * A component without input drops out and its weight is spread over the others; the reasons say so.
 */
export function scoreGrowthPotential(
  input: GrowthPotentialInput,
  config: GrowthPotentialConfig,
  locale = 'en-US',
): GrowthPotential {
  const money = wholeNumberFormat(locale);
  const parts: { weight: number; value: number; text: string }[] = [];
  const missing: string[] = [];

  let headroom: number | null = null;
  let estimatedWallet: number | null = null;
  // the same reading of industry and size as the firmographic breakdowns (firmographic-profile.ts)
  const estimate = estimateWallet(input.industry, input.employeeCount, config);
  if (estimate !== null) {
    estimatedWallet = estimate.wallet;
    headroom = walletHeadroom(input.revenueT12m, estimatedWallet);
    const basis = `${money.format(estimate.employees)} employees x ${money.format(estimate.perEmployee)} ${estimate.industry === null ? 'default spend' : `for ${estimate.industry}`}`;
    parts.push({
      weight: config.weights.headroom,
      value: headroom,
      text:
        headroom > 0
          ? `revenue ${money.format(input.revenueT12m)} is ${Math.round((1 - headroom) * 100)}% of an estimated wallet of ${money.format(estimatedWallet)} (${basis})`
          : `revenue ${money.format(input.revenueT12m)} already meets the estimated wallet of ${money.format(estimatedWallet)} (${basis})`,
    });
  } else {
    missing.push(
      'no employee count, so no wallet estimate: headroom left out and its weight spread over the rest',
    );
  }

  const yoy =
    input.revenuePriorT12m > 0 ? (input.revenueT12m - input.revenuePriorT12m) / input.revenuePriorT12m : null;
  const months = input.monthlyRevenue;
  const last3 = months.length >= 6 ? sum(months.slice(-3)) : null;
  const prior3 = months.length >= 6 ? sum(months.slice(-6, -3)) : null;
  const recent = last3 !== null && prior3 !== null && prior3 > 0 ? (last3 - prior3) / prior3 : null;
  const trends = [yoy, recent].filter((g): g is number => g !== null);
  let momentum: number | null = null;
  if (trends.length > 0) {
    momentum = sum(trends.map(growthScore)) / trends.length;
    const words = [
      yoy === null ? null : `revenue ${percent(yoy)} YoY`,
      recent === null ? null : `last 3 months ${percent(recent)} on the 3 before`,
    ].filter((w) => w !== null);
    parts.push({ weight: config.weights.momentum, value: momentum, text: words.join(', ') });
  } else {
    missing.push(
      'no prior revenue to measure a trend: momentum left out and its weight spread over the rest',
    );
  }

  const engagement =
    input.engagement === undefined || input.engagement === null ? null : clamp01(input.engagement);
  if (engagement !== null) {
    parts.push({
      weight: config.weights.engagement,
      value: engagement,
      text: `engagement ${engagement.toFixed(2)} of 1${input.engagementNote ? ` (${input.engagementNote})` : ''}`,
    });
  } else {
    missing.push(
      input.engagementNote
        ? `engagement ${input.engagementNote}: its weight spread over the rest`
        : 'no engagement data: its weight spread over the rest',
    );
  }

  const totalWeight = sum(parts.map((p) => p.weight));
  const score =
    totalWeight > 0 ? Math.round((100 * sum(parts.map((p) => p.weight * p.value))) / totalWeight) : null;
  const reasons = [...parts].sort((p, q) => q.weight * q.value - p.weight * p.value).map((p) => p.text);
  return {
    accountId: input.accountId,
    score,
    headroom,
    momentum,
    engagement,
    estimatedWallet,
    reasons: [...reasons, ...missing],
  };
}

/** An account's segment and growth-potential score, for {@link hiddenGems}. */
export interface ScoredAccount {
  readonly accountId: string;
  readonly segment: string;
  readonly score: number | null;
}

/**
 * Hidden gems: accounts of the configured segments (Low and Medium by default) whose score is in the
 * top share (decile by default) of all scored accounts, best first.
 */
export function hiddenGems<T extends ScoredAccount>(
  accounts: readonly T[],
  config: GrowthPotentialConfig,
): T[] {
  const scores = accounts.map((a) => a.score).filter((s): s is number => s !== null);
  if (scores.length === 0) return [];
  const threshold = quantile(scores, 1 - config.hiddenGems.topShare);
  const segments = new Set(config.hiddenGems.segments);
  return accounts
    .filter((a) => a.score !== null && a.score >= threshold && segments.has(a.segment))
    .sort((p, q) => (q.score ?? 0) - (p.score ?? 0) || p.accountId.localeCompare(q.accountId));
}
