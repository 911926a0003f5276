import { toCents } from '../metrics/money.ts';
import { monthStartBefore, type Period } from '../period.ts';
import { normalizeEmail, ownerBooks } from '../report/owner-email.ts';
import type { ClassifiedAccount } from '../types.ts';
import type { CostCheck } from './costs.ts';
import type { Opportunity, OpportunityCheck } from './opportunities.ts';
import {
  type DateWindow,
  inWindow,
  isOpenAt,
  type OpportunityMetrics,
  opportunityMetrics,
  type SegmentEconomics,
  segmentEconomics,
} from './sales-metrics.ts';

/** The windows sales efficiency is measured over: the run's period and the 12 months ending at its end. */
export type SalesWindowName = 'period' | 't12m';

export interface SalesWindow extends DateWindow {
  readonly name: SalesWindowName;
}

/** The period itself and the T12M window (first day of the month 11 months before the period's last month). */
export function salesWindows(period: Period): SalesWindow[] {
  return [
    { name: 'period', start: period.start, end: period.end },
    { name: 't12m', start: monthStartBefore(period.end, 11), end: period.end },
  ];
}

/** One segment over one window; `opportunities` / `economics` are null when their input is absent. */
export interface SegmentSalesEfficiency {
  readonly segment: string;
  /** Report order of the segment, 1 = highest bracket. */
  readonly rank: number;
  readonly window: SalesWindow;
  /** Accounts in the segment (its effective segment, overrides applied). */
  readonly accounts: number;
  readonly opportunities: OpportunityMetrics | null;
  readonly economics: SegmentEconomics | null;
}

/** One account owner over one window (only when the `opportunities` input is present). */
export interface OwnerSalesEfficiency {
  /** Normalized (trimmed, lower-case) owner email, as the owner mails group accounts. */
  readonly ownerEmail: string;
  readonly ownerName: string;
  readonly window: SalesWindow;
  readonly accounts: number;
  readonly opportunities: OpportunityMetrics;
}

/** An opportunity open at the period's end, with its account, for the owner mails. */
export interface OpenOpportunity extends Opportunity {
  readonly accountName: string;
  readonly ownerEmail: string;
  readonly segment: string;
}

/** Sales efficiency and profitability of one run (issue 6). */
export interface SalesEfficiency {
  /** The checked `opportunities` input; undefined when the input is absent. */
  readonly opportunities?: OpportunityCheck;
  /** The checked `costs` input; undefined when the input is absent. */
  readonly costs?: CostCheck;
  readonly grossMargin: number;
  /** Every segment in report order, the period window first, then T12M. */
  readonly segments: readonly SegmentSalesEfficiency[];
  /** Every valid owner email of the accounts (sorted), each window, as the owner mails group them; empty without opportunities. */
  readonly owners: readonly OwnerSalesEfficiency[];
  /** Opportunities open at the period's end, largest amount first; empty without opportunities. */
  readonly openOpportunities: readonly OpenOpportunity[];
}

export interface SalesEfficiencyInput {
  readonly period: Period;
  /** Every valid account of the run with its effective segment. */
  readonly accounts: readonly ClassifiedAccount[];
  /** Configured segment names in report order (the Inactive one last). */
  readonly segmentNames: readonly string[];
  readonly grossMargin: number;
  readonly opportunities?: OpportunityCheck;
  readonly costs?: CostCheck;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Money summed in whole cents, so totals do not depend on the order of the rows. */
function sumMoney<T>(items: readonly T[], amount: (item: T) => number): number {
  return items.reduce((cents, item) => cents + toCents(amount(item)), 0) / 100;
}

/**
 * Sales efficiency per segment and per owner over the period and T12M. Opportunities and costs of an account
 * count in the account's effective segment at the period's end; costs booked to a segment count in that
 * segment. An account is new in a window when its first invoice falls in it. Segment revenue in a window is
 * the period revenue or the T12M revenue of its accounts. See `opportunityMetrics` and `segmentEconomics`
 * for the definitions.
 */
export function measureSalesEfficiency(input: SalesEfficiencyInput): SalesEfficiency {
  const { accounts, opportunities, costs } = input;
  const byId = new Map(accounts.map((a) => [a.accountId, a]));
  const windows = salesWindows(input.period);
  const accountsBySegment = groupBy(accounts, (a) => a.segment);
  const oppsBySegment = groupBy(opportunities?.opportunities ?? [], (o) => byId.get(o.accountId)?.segment);
  const costsBySegment = groupBy(
    costs?.costs ?? [],
    (c) => c.segment ?? byId.get(c.accountId ?? '')?.segment,
  );
  const t12m = windows[1] as SalesWindow;

  const segments: SegmentSalesEfficiency[] = windows.flatMap((window) =>
    input.segmentNames.map((segment, i) => {
      const members = accountsBySegment.get(segment) ?? [];
      const segmentCosts = costsBySegment.get(segment) ?? [];
      const costIn = (w: DateWindow, kind: 'acquisition' | 'service') =>
        sumMoney(
          segmentCosts.filter((c) => c.kind === kind && inWindow(c.month, w)),
          (c) => c.amount,
        );
      return {
        segment,
        rank: i + 1,
        window,
        accounts: members.length,
        opportunities: opportunities ? opportunityMetrics(oppsBySegment.get(segment) ?? [], window) : null,
        economics: costs
          ? segmentEconomics({
              revenue: sumMoney(members, (a) => (window.name === 'period' ? a.revenuePeriod : a.revenueT12m)),
              acquisitionCost: costIn(window, 'acquisition'),
              costToServe: costIn(window, 'service'),
              newAccounts: members.filter((a) => inWindow(a.firstInvoiceOn, window)).length,
              revenueT12m: sumMoney(members, (a) => a.revenueT12m),
              costToServeT12m: costIn(t12m, 'service'),
              activeAccounts: members.filter((a) => a.revenueT12m > 0).length,
              grossMargin: input.grossMargin,
            })
          : null,
      };
    }),
  );

  const owners: OwnerSalesEfficiency[] = [];
  const openOpportunities: OpenOpportunity[] = [];
  if (opportunities) {
    const oppsByOwner = groupBy(opportunities.opportunities, (o) => {
      const owner = byId.get(o.accountId)?.ownerEmail;
      return owner === undefined ? undefined : normalizeEmail(owner);
    });
    // the same owners, names and grouping as the owner mails
    for (const book of ownerBooks(accounts)) {
      for (const window of windows) {
        owners.push({
          ownerEmail: book.email,
          ownerName: book.name,
          window,
          accounts: book.accounts.length,
          opportunities: opportunityMetrics(oppsByOwner.get(book.email) ?? [], window),
        });
      }
    }
    for (const o of opportunities.opportunities) {
      const account = byId.get(o.accountId);
      if (!account || !isOpenAt(o, input.period.end)) continue;
      openOpportunities.push({
        ...o,
        accountName: account.accountName,
        ownerEmail: normalizeEmail(account.ownerEmail),
        segment: account.segment,
      });
    }
    openOpportunities.sort((a, b) => b.amount - a.amount || a.opportunityId.localeCompare(b.opportunityId));
  }
  return {
    opportunities,
    costs,
    grossMargin: input.grossMargin,
    segments,
    owners,
    openOpportunities,
  };
}
