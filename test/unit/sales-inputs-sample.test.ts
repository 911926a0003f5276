import { describe, expect, it } from 'vitest';
import { checkCosts } from '../../lambdas/core/sales/costs.ts';
import { checkOpportunities } from '../../lambdas/core/sales/opportunities.ts';
import { quantileType7 } from '../../lambdas/core/sales/sales-metrics.ts';
import {
  MIN_ROWS_FOR_PLANTED,
  PLANTED_SALES_PROBLEMS,
  salesInputsCsv,
  sampleCosts,
  sampleOpportunities,
} from '../../lambdas/core/sample/sales-inputs.ts';
import { planSampleBook } from '../../lambdas/core/sample/sample-book.ts';
import { parseCsv } from './sample-book-helpers.ts';

const AS_OF = '2026-11-02';
const book = planSampleBook({ asOf: AS_OF, lines: 40_000, seed: 7 });
const clean = planSampleBook({ asOf: AS_OF, lines: 40_000, seed: 7, plantProblems: false });
const accountIds = new Set(book.plans.map((p) => p.row.accountId));
const segmentNames = ['High', 'Medium', 'Low', 'Inactive'];

function countReasons(reasons: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of reasons) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

function tierOf(spend: number): string {
  return spend > 100_000 ? 'High' : spend >= 10_000 ? 'Medium' : 'Low';
}

describe('sample opportunities and costs', () => {
  it('are the same for the same options and differ with the seed', () => {
    expect(salesInputsCsv(planSampleBook({ asOf: AS_OF, lines: 40_000, seed: 7 }))).toEqual(
      salesInputsCsv(book),
    );
    expect(salesInputsCsv(planSampleBook({ asOf: AS_OF, lines: 40_000, seed: 8 })).opportunities).not.toEqual(
      salesInputsCsv(book).opportunities,
    );
  });

  it('plant exactly the listed bad rows, and none without planted problems', () => {
    const opportunityRows = sampleOpportunities(book);
    const opportunities = checkOpportunities(opportunityRows, { accountIds, runDate: AS_OF });
    expect(countReasons(opportunities.rejected.map((r) => r.reason))).toEqual(
      PLANTED_SALES_PROBLEMS.opportunities,
    );
    const costs = checkCosts(sampleCosts(book), { accountIds, segmentNames });
    expect(countReasons(costs.rejected.map((r) => r.reason))).toEqual(PLANTED_SALES_PROBLEMS.costs);

    expect(checkOpportunities(sampleOpportunities(clean), { accountIds, runDate: AS_OF }).rejected).toEqual(
      [],
    );
    expect(checkCosts(sampleCosts(clean), { accountIds, segmentNames }).rejected).toEqual([]);
  });

  it('plant no bad opportunities in a book too small to keep them under the 5% quarantine limit (costs still)', () => {
    const small = planSampleBook({ asOf: AS_OF, lines: 2_000, seed: 3 });
    const ids = new Set(small.plans.map((p) => p.row.accountId));
    const rows = sampleOpportunities(small);
    expect(rows.length).toBeLessThan(MIN_ROWS_FOR_PLANTED);
    expect(checkOpportunities(rows, { accountIds: ids, runDate: AS_OF }).rejected).toEqual([]);
    const plantedCosts = Object.values(PLANTED_SALES_PROBLEMS.costs).reduce((sum, n) => sum + n, 0);
    expect(checkCosts(sampleCosts(small), { accountIds: ids, segmentNames }).rejected).toHaveLength(
      plantedCosts,
    );
  });

  it('write RFC 4180 CSV with the contract columns, read back row for row', () => {
    const csv = salesInputsCsv(book);
    const opportunities = parseCsv(csv.opportunities);
    expect(opportunities[0]).toEqual([
      'opportunity_id',
      'account_id',
      'created_on',
      'closed_on',
      'stage',
      'amount',
    ]);
    expect(opportunities.length - 1).toBe(sampleOpportunities(book).length);
    const costs = parseCsv(csv.costs);
    expect(costs[0]).toEqual(['period', 'account_id', 'segment', 'kind', 'amount']);
    expect(costs.length - 1).toBe(sampleCosts(book).length);
  });

  it('sell big deals slower and less often than small ones', () => {
    const spend = new Map(book.plans.map((p) => [p.row.accountId, p.annualSpend]));
    const { opportunities } = checkOpportunities(sampleOpportunities(clean), { accountIds, runDate: AS_OF });
    const byTier = new Map<string, { won: number; closed: number; cycles: number[] }>();
    for (const o of opportunities) {
      const tier = tierOf(spend.get(o.accountId) ?? 0);
      const t = byTier.get(tier) ?? { won: 0, closed: 0, cycles: [] };
      if (o.stage !== 'open') t.closed += 1;
      if (o.stage === 'won') {
        t.won += 1;
        t.cycles.push((Date.parse(o.closedOn ?? '') - Date.parse(o.createdOn)) / 86_400_000);
      }
      byTier.set(tier, t);
    }
    const rate = (tier: string) => (byTier.get(tier)?.won ?? 0) / (byTier.get(tier)?.closed ?? 1);
    const median = (tier: string) => quantileType7(byTier.get(tier)?.cycles ?? [], 0.5) ?? 0;
    expect(rate('High')).toBeLessThan(rate('Medium'));
    expect(rate('Medium')).toBeLessThan(rate('Low'));
    expect(median('High')).toBeGreaterThan(median('Medium'));
    expect(median('Medium')).toBeGreaterThan(median('Low'));
    expect(opportunities.some((o) => o.stage === 'open')).toBe(true);
  });

  it('book an acquisition cost for every account won in the window and monthly segment costs', () => {
    const firstDay = book.window.firstDay;
    const won = book.plans.filter(
      (p) => Number.isFinite(p.activeFrom) && p.activeFrom > firstDay && p.activeFrom <= book.window.lastDay,
    );
    const costs = sampleCosts(clean);
    const acquired = new Set(
      costs.filter((c) => c.kind === 'acquisition' && c.accountId).map((c) => c.accountId),
    );
    expect(won.length).toBeGreaterThan(0);
    expect(won.every((p) => acquired.has(p.row.accountId))).toBe(true);
    const segmentMonths = new Set(costs.filter((c) => c.segment !== null).map((c) => c.period));
    expect(segmentMonths.size).toBeGreaterThanOrEqual(35);
    expect(costs.some((c) => /^\d{4}-Q[1-4]$/.test(c.period) && c.kind === 'service')).toBe(true);
  });
});
