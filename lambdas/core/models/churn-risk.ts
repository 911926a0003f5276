import { z } from 'zod';
import { ConfigError } from '../errors.ts';

/** Risk levels, most severe first. */
export type RiskLevel = 'high' | 'medium' | 'low' | 'none';

const RANK: Readonly<Record<RiskLevel, number>> = { none: 0, low: 1, medium: 2, high: 3 };
const LEVELS: readonly RiskLevel[] = ['none', 'low', 'medium', 'high'];

const levelThresholds = (high: number, medium: number, low: number) =>
  z
    .object({ high: z.number().min(0), medium: z.number().min(0), low: z.number().min(0) })
    .default({ high, medium, low });

/** Thresholds of the churn-risk rules; parse with {@link parseChurnRiskConfig}. */
export const churnRiskConfigSchema = z.object({
  /** Probability alive below which an account is at that level. @default high 0.3, medium 0.6, low 0.8 */
  probabilityAlive: levelThresholds(0.3, 0.6, 0.8),
  /** Days since the last invoice / usual days between invoices, at or above which the level applies. @default 4, 2.5, 1.5 */
  overdueRatio: levelThresholds(4, 2.5, 1.5),
  /** Fall of T12M against the prior 12 months, as a share, at or above which the level applies. @default 0.5, 0.3, 0.15 */
  revenueDrop: levelThresholds(0.5, 0.3, 0.15),
  /** Repeat invoices needed before an account has a usual rhythm. @default 2 */
  minRepeatForRhythm: z.number().int().min(1).default(2),
});

export type ChurnRiskConfig = z.infer<typeof churnRiskConfigSchema>;

/** Parses churn-risk thresholds; the error names the field and the bad value. */
export function parseChurnRiskConfig(input: unknown, source = 'churn risk config'): ChurnRiskConfig {
  const result = churnRiskConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
}

/** What the churn-risk rules look at for one account (AccountFeatures fields plus model outputs). */
export interface ChurnRiskInput {
  readonly accountId: string;
  readonly revenueT12m: number;
  readonly revenuePriorT12m: number;
  /** Days from the last invoice to the period end; null without invoices. */
  readonly recencyDays: number | null;
  /** Repeat invoice days (BG/NBD x). */
  readonly repeatTransactions: number;
  /** Days from the first to the last invoice (BG/NBD t_x in days). */
  readonly activeSpanDays: number;
  /** BG/NBD probability alive; null when no model was fitted. */
  readonly probabilityAlive: number | null;
}

/** One reason for concern, with its own level. */
export interface RiskSignal {
  readonly kind: 'probability_alive' | 'overdue' | 'revenue_trend';
  readonly level: RiskLevel;
  readonly text: string;
}

/** An account's churn risk and why, in words. */
export interface ChurnRisk {
  readonly accountId: string;
  readonly level: RiskLevel;
  /** The facts behind the level, e.g. `no invoice for 210 days, normally every 35; probability alive 0.18`. */
  readonly reason: string;
  readonly signals: readonly RiskSignal[];
  /** T12M revenue of an account at risk (level other than none), else 0. */
  readonly revenueAtRisk: number;
}

function below(value: number, t: { high: number; medium: number; low: number }): RiskLevel {
  if (value < t.high) return 'high';
  if (value < t.medium) return 'medium';
  return value < t.low ? 'low' : 'none';
}

function atOrAbove(value: number, t: { high: number; medium: number; low: number }): RiskLevel {
  if (value >= t.high) return 'high';
  if (value >= t.medium) return 'medium';
  return value >= t.low ? 'low' : 'none';
}

function maxLevel(levels: readonly RiskLevel[]): RiskLevel {
  return LEVELS[Math.max(0, ...levels.map((l) => RANK[l]))] ?? 'none';
}

/**
 * Churn-risk level of an account: the most severe of its signals (probability alive, days overdue
 * against its usual rhythm, fall in revenue); when a purchase-behaviour signal and the revenue trend
 * are both at least medium, the two together count as high. Accounts without T12M revenue have
 * already lapsed and are not flagged.
 */
export function assessChurnRisk(input: ChurnRiskInput, config: ChurnRiskConfig): ChurnRisk {
  if (input.revenueT12m <= 0) {
    return {
      accountId: input.accountId,
      level: 'none',
      reason: 'no revenue in the last 12 months: already lapsed, nothing left at risk',
      signals: [],
      revenueAtRisk: 0,
    };
  }
  const signals: RiskSignal[] = [];
  if (input.recencyDays !== null && input.repeatTransactions >= config.minRepeatForRhythm) {
    const usual = input.activeSpanDays / input.repeatTransactions;
    if (usual > 0) {
      signals.push({
        kind: 'overdue',
        level: atOrAbove(input.recencyDays / usual, config.overdueRatio),
        text: `no invoice for ${Math.round(input.recencyDays)} days, normally every ${Math.round(usual)}`,
      });
    }
  }
  if (input.probabilityAlive !== null) {
    signals.push({
      kind: 'probability_alive',
      level: below(input.probabilityAlive, config.probabilityAlive),
      text: `probability alive ${input.probabilityAlive.toFixed(2)}`,
    });
  }
  if (input.revenuePriorT12m > 0) {
    const change = (input.revenueT12m - input.revenuePriorT12m) / input.revenuePriorT12m;
    const percent = Math.round(Math.abs(change) * 100);
    signals.push({
      kind: 'revenue_trend',
      level: atOrAbove(-change, config.revenueDrop),
      text: percent === 0 ? 'revenue flat YoY' : `revenue ${change < 0 ? 'down' : 'up'} ${percent}% YoY`,
    });
  }
  const behaviour = maxLevel(signals.filter((s) => s.kind !== 'revenue_trend').map((s) => s.level));
  const trend = maxLevel(signals.filter((s) => s.kind === 'revenue_trend').map((s) => s.level));
  let level = maxLevel([behaviour, trend]);
  if (RANK[behaviour] >= RANK.medium && RANK[trend] >= RANK.medium) level = 'high';
  return {
    accountId: input.accountId,
    level,
    reason: signals.length > 0 ? signals.map((s) => s.text).join('; ') : 'too little history to judge',
    signals,
    revenueAtRisk: level === 'none' ? 0 : input.revenueT12m,
  };
}
