import { describe, expect, it } from 'vitest';
import { adviseBrackets, roundSignificant } from '../../lambdas/core/clustering/bracket-advice.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';

const segments = parseRunConfig({}).segments;
const book = (revenues: readonly number[]) =>
  revenues.map((revenueT12m, i) => ({ accountId: `A${i}`, revenueT12m }));

describe('roundSignificant', () => {
  it.each([
    [123_456, 120_000],
    [4242.6, 4200],
    [67_082, 67_000],
    [99_999, 100_000],
    [0.0456, 0.046],
    [0, 0],
  ])('%d -> %d', (x, rounded) => {
    expect(roundSignificant(x)).toBe(rounded);
  });
});

describe('adviseBrackets', () => {
  // Three obvious groups: 500-900, 6,000-15,000 and 300,000-700,000, plus two inactive accounts.
  // Breaks at the geometric midpoints of the gaps: sqrt(900 x 6,000) = 2,323.8 -> 2,300 and
  // sqrt(15,000 x 300,000) = 67,082 -> 67,000.
  const accounts = book([500, 700, 900, 6000, 8000, 12_000, 15_000, 300_000, 500_000, 700_000, 0, -50]);

  it('puts the thresholds in the gaps, rounded to two significant figures', () => {
    const advice = adviseBrackets(accounts, segments);
    expect(advice.status).toBe('advised');
    expect(advice.advised).toEqual([
      { name: 'High', min: 67_000, minInclusive: true },
      { name: 'Medium', min: 2300, minInclusive: true },
      { name: 'Low', min: 0, minInclusive: false },
    ]);
    expect(advice.configured).toEqual(segments.brackets);
  });

  it('shows accounts and revenue per segment under both and what would move', () => {
    const advice = adviseBrackets(accounts, segments);
    // configured: High 300k+500k+700k; Medium 12k+15k; Low 500+700+900+6k+8k; Inactive 0-50
    // advised: Medium gains 6k and 8k from Low
    expect(advice.comparison).toEqual([
      {
        segment: 'High',
        configuredAccounts: 3,
        configuredRevenueT12m: 1_500_000,
        advisedAccounts: 3,
        advisedRevenueT12m: 1_500_000,
      },
      {
        segment: 'Medium',
        configuredAccounts: 2,
        configuredRevenueT12m: 27_000,
        advisedAccounts: 4,
        advisedRevenueT12m: 41_000,
      },
      {
        segment: 'Low',
        configuredAccounts: 5,
        configuredRevenueT12m: 16_100,
        advisedAccounts: 3,
        advisedRevenueT12m: 2100,
      },
      {
        segment: 'Inactive',
        configuredAccounts: 2,
        configuredRevenueT12m: -50,
        advisedAccounts: 2,
        advisedRevenueT12m: -50,
      },
    ]);
    expect(advice.moves).toEqual([
      { fromSegment: 'Low', toSegment: 'Medium', accounts: 2, revenueT12m: 14_000 },
    ]);
    expect([advice.accountsMoving, advice.revenueMoving]).toEqual([2, 14_000]);
  });

  it('uses more digits when two significant figures would merge thresholds', () => {
    // Three values, three classes: midpoints sqrt(10,000 x 10,200) = 10,099.5 and
    // sqrt(10,200 x 10,400) = 10,299.5 both round to 10,000 at two figures; at three: 10,300 and 10,100.
    const advice = adviseBrackets(book([10_000, 10_200, 10_400]), segments);
    expect(advice.advised.map((b) => b.min)).toEqual([10_300, 10_100, 0]);
  });

  it('follows custom bracket names and counts', () => {
    const two = parseRunConfig({
      segments: {
        brackets: [
          { name: 'Key', min: 50_000 },
          { name: 'Other', min: 0, minInclusive: false },
        ],
      },
    }).segments;
    // two groups: 1,000-2,000 and 40,000-80,000: sqrt(2,000 x 40,000) = 8,944 -> 8,900
    const advice = adviseBrackets(book([1000, 2000, 40_000, 80_000]), two);
    expect(advice.advised).toEqual([
      { name: 'Key', min: 8900, minInclusive: true },
      { name: 'Other', min: 0, minInclusive: false },
    ]);
    expect(advice.moves).toEqual([
      { fromSegment: 'Other', toSegment: 'Key', accounts: 1, revenueT12m: 40_000 },
    ]);
  });

  it('declines with a reason when there are fewer distinct revenues than brackets', () => {
    const advice = adviseBrackets(book([5000, 5000, 20_000, 0]), segments);
    expect(advice.status).toBe('insufficient-data');
    expect(advice.reason).toBe('2 distinct revenue values among active accounts; 3 brackets need at least 3');
    expect(advice.advised).toEqual([]);
    expect(advice.moves).toEqual([]);
  });
});
