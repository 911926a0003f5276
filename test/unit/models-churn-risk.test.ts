import { describe, expect, it } from 'vitest';
import {
  assessChurnRisk,
  type ChurnRiskInput,
  parseChurnRiskConfig,
} from '../../lambdas/core/models/churn-risk.ts';

const config = parseChurnRiskConfig(undefined);
const base: ChurnRiskInput = {
  accountId: 'acme',
  revenueT12m: 60_000,
  revenuePriorT12m: 100_000,
  recencyDays: 210,
  repeatTransactions: 6,
  activeSpanDays: 210,
  probabilityAlive: 0.18,
};

describe('assessChurnRisk', () => {
  it('explains a high risk in words: overdue, probability alive and revenue trend', () => {
    const risk = assessChurnRisk(base, config);
    expect(risk.level).toBe('high');
    expect(risk.reason).toBe(
      'no invoice for 210 days, normally every 35; probability alive 0.18; revenue down 40% YoY',
    );
    expect(risk.revenueAtRisk).toBe(60_000);
    expect(risk.signals.map((s) => [s.kind, s.level])).toEqual([
      ['overdue', 'high'], // 210 / 35 = 6 >= 4
      ['probability_alive', 'high'], // 0.18 < 0.3
      ['revenue_trend', 'medium'], // 40% drop >= 30%
    ]);
  });

  it.each([
    // recency / usual interval 30 (x=4 over 120 days), probability alive, prior -> current revenue, level
    { recency: 20, pAlive: 0.95, prior: 50_000, current: 52_000, level: 'none' },
    { recency: 50, pAlive: 0.9, prior: 50_000, current: 50_000, level: 'low' }, // 50/30 = 1.67 >= 1.5
    { recency: 20, pAlive: 0.7, prior: 50_000, current: 50_000, level: 'low' }, // 0.7 < 0.8
    { recency: 20, pAlive: 0.9, prior: 50_000, current: 40_000, level: 'low' }, // 20% drop >= 15%
    { recency: 80, pAlive: 0.9, prior: 50_000, current: 50_000, level: 'medium' }, // 80/30 = 2.67 >= 2.5
    { recency: 20, pAlive: 0.9, prior: 50_000, current: 20_000, level: 'high' }, // 60% drop >= 50%
    { recency: 20, pAlive: 0.5, prior: 50_000, current: 32_000, level: 'high' }, // medium behaviour + medium trend (36%)
    { recency: 20, pAlive: 0.5, prior: 50_000, current: 42_000, level: 'medium' }, // medium behaviour + low trend (16%)
  ])(
    'recency $recency, P(alive) $pAlive, revenue $prior -> $current: $level',
    ({ recency, pAlive, prior, current, level }) => {
      const risk = assessChurnRisk(
        {
          accountId: 'x',
          revenueT12m: current,
          revenuePriorT12m: prior,
          recencyDays: recency,
          repeatTransactions: 4,
          activeSpanDays: 120,
          probabilityAlive: pAlive,
        },
        config,
      );
      expect(risk.level).toBe(level);
      expect(risk.revenueAtRisk).toBe(level === 'none' ? 0 : current);
    },
  );

  it('does not flag a lapsed account: there is nothing left at risk', () => {
    const risk = assessChurnRisk({ ...base, revenueT12m: 0 }, config);
    expect(risk).toMatchObject({ level: 'none', revenueAtRisk: 0 });
    expect(risk.reason).toMatch(/already lapsed/);
  });

  it('needs two repeat purchases before speaking of a usual rhythm, and no prior revenue means no trend', () => {
    const risk = assessChurnRisk(
      { ...base, repeatTransactions: 1, revenuePriorT12m: 0, probabilityAlive: 0.92, activeSpanDays: 30 },
      config,
    );
    expect(risk.reason).toBe('probability alive 0.92');
    expect(risk.level).toBe('none');
  });

  it('says when there is too little history to judge', () => {
    const risk = assessChurnRisk(
      { ...base, repeatTransactions: 0, revenuePriorT12m: 0, probabilityAlive: null },
      config,
    );
    expect(risk.reason).toBe('too little history to judge');
  });

  it('names a bad threshold', () => {
    expect(() => parseChurnRiskConfig({ probabilityAlive: { high: -1, medium: 0.5, low: 0.8 } })).toThrow(
      /probabilityAlive\.high/,
    );
  });
});
