import { COST_COLUMNS } from '../sales/costs.ts';
import { OPPORTUNITY_COLUMNS } from '../sales/opportunities.ts';
import { type AccountPlan, isActive } from './accounts.ts';
import { isoOfDay, partsOfDay } from './calendar.ts';
import { toSampleCsv } from './engagement-inputs.ts';
import { SampleRandom } from './random.ts';
import type { SampleBook } from './sample-book.ts';

/** One row of the sample `opportunities` input, every value as text so planted bad values can be written. */
export interface SampleOpportunity {
  readonly opportunityId: string | null;
  readonly accountId: string;
  readonly createdOn: string;
  readonly closedOn: string | null;
  readonly stage: string;
  readonly amount: string;
}

/** One row of the sample `costs` input. */
export interface SampleCost {
  readonly period: string;
  readonly accountId: string | null;
  readonly segment: string | null;
  readonly kind: string;
  readonly amount: string;
}

/** Bad rows planted per input when the book plants problems; the checks must find exactly these. */
export const PLANTED_SALES_PROBLEMS = {
  opportunities: {
    missing_opportunity_id: 1,
    duplicate_opportunity: 1,
    unknown_stage: 1,
    close_before_create: 1,
    missing_close_date: 1,
    negative_amount: 1,
    unknown_account: 1,
  },
  costs: {
    unparsable_cost_period: 1,
    unknown_cost_kind: 1,
    missing_cost_target: 1,
    ambiguous_cost_target: 1,
    negative_cost: 1,
    unknown_account: 1,
    unknown_segment: 1,
  },
} as const;

/**
 * A table gets its planted bad rows only when it has at least this many good ones, so that they stay well under
 * the default quarantine limit (5%) that stops a run; the smallest books have fewer opportunities.
 */
export const MIN_ROWS_FOR_PLANTED = 200;

type Tier = 'High' | 'Medium' | 'Low';

/**
 * How each size of deal sells: bigger deals take longer and are won less often. Cycle days are lognormal
 * around `cycleDays`; `winRate` applies to expansion deals, `expansionsPerYear` is their rate per account.
 */
const SELLING: Readonly<
  Record<
    Tier,
    {
      cycleDays: number;
      winRate: number;
      expansionsPerYear: number;
      acquisitionShare: number;
      serviceShare: number;
    }
  >
> = {
  High: { cycleDays: 120, winRate: 0.3, expansionsPerYear: 2.4, acquisitionShare: 0.25, serviceShare: 0.1 },
  Medium: {
    cycleDays: 60,
    winRate: 0.42,
    expansionsPerYear: 1.6,
    acquisitionShare: 0.35,
    serviceShare: 0.14,
  },
  Low: { cycleDays: 25, winRate: 0.55, expansionsPerYear: 1.1, acquisitionShare: 0.6, serviceShare: 0.22 },
};

/** Marketing spend per segment and month, booked to the segment, not to an account. */
const SEGMENT_MARKETING: Readonly<Record<Tier, number>> = { High: 6_000, Medium: 9_000, Low: 7_500 };
/** Shared support cost per segment and month (pooled support desk), booked to the segment. */
const SEGMENT_SUPPORT: Readonly<Record<Tier, number>> = { High: 4_000, Medium: 5_500, Low: 3_000 };

/** The default brackets' tier of an annual spend (the sample's segment names are the default ones). */
function tierOf(spend: number): Tier {
  return spend > 100_000 ? 'High' : spend >= 10_000 ? 'Medium' : 'Low';
}

function money(amount: number): string {
  return (Math.round(amount * 100) / 100).toFixed(2);
}

function cycleDays(tier: Tier, rng: SampleRandom): number {
  return Math.max(3, Math.round(SELLING[tier].cycleDays * rng.lognormal(0, 0.45)));
}

/**
 * Opportunities a CRM would hold for the book: each account that started buying inside the window was won
 * shortly before its first invoice after a sales cycle that grows with deal size; active accounts get expansion
 * deals (more and larger for big accounts) that are won less often the bigger they are, still open when their
 * expected close date is after the book's end; prospects that never buy have lost or open deals. With planted
 * problems (and at least MIN_ROWS_FOR_PLANTED good rows), one row each has no id, repeats an id, has stage 'negotiation', closes before it was created, is
 * won without a close date, has a negative amount, and names an unknown account.
 */
export function sampleOpportunities(book: SampleBook): SampleOpportunity[] {
  const rng = new SampleRandom(book.options.seed, 111);
  const { firstDay, lastDay } = book.window;
  const rows: SampleOpportunity[] = [];
  let next = 1;
  const id = () => `OPP-${String(next++).padStart(6, '0')}`;
  const push = (plan: AccountPlan, created: number, closed: number, stage: string, amount: number) =>
    rows.push({
      opportunityId: id(),
      accountId: plan.row.accountId,
      createdOn: isoOfDay(created),
      closedOn: isoOfDay(closed),
      stage,
      amount: money(amount),
    });

  for (const plan of book.plans) {
    const tier = tierOf(plan.annualSpend);
    if (!Number.isFinite(plan.activeFrom)) {
      const created = firstDay + rng.int(0, lastDay - firstDay);
      const closed = created + cycleDays(tier, rng);
      push(
        plan,
        created,
        closed,
        closed > lastDay ? 'open' : 'lost',
        plan.annualSpend * rng.lognormal(0, 0.3),
      );
      continue;
    }
    if (plan.activeFrom > firstDay) {
      const closed = plan.activeFrom - rng.int(0, 10);
      const created = closed - cycleDays(tier, rng);
      // An account that starts buying after the book's end is still being won.
      push(
        plan,
        created,
        closed,
        closed > lastDay ? 'open' : 'won',
        plan.annualSpend * rng.lognormal(0, 0.2),
      );
      // Competitive deals lost before this one was won, more of them for small accounts.
      if (rng.chance(SELLING[tier].winRate)) continue;
      const lostClosed = Math.max(firstDay, created - rng.int(20, 200));
      push(
        plan,
        lostClosed - cycleDays(tier, rng),
        lostClosed,
        'lost',
        plan.annualSpend * rng.lognormal(0, 0.3),
      );
    }
    const { expansionsPerYear, winRate } = SELLING[tier];
    const n = rng.poisson((expansionsPerYear * (lastDay - Math.max(firstDay, plan.activeFrom))) / 365);
    for (let i = 0; i < n; i++) {
      const created =
        Math.max(firstDay, plan.activeFrom) +
        rng.int(0, Math.max(0, lastDay - Math.max(firstDay, plan.activeFrom)));
      if (!isActive(plan, created)) continue;
      const closed = created + cycleDays(tier, rng);
      const amount = plan.annualSpend * 0.3 * rng.lognormal(0, 0.5);
      // A deal of an account that stops buying before it closes is lost.
      const stage =
        closed > lastDay ? 'open' : isActive(plan, closed) && rng.chance(winRate) ? 'won' : 'lost';
      push(plan, created, closed, stage, amount);
    }
  }
  const someone = book.plans.find((p) => Number.isFinite(p.activeFrom))?.row.accountId;
  if (book.options.plantProblems && someone && rows.length >= MIN_ROWS_FOR_PLANTED) {
    const day = isoOfDay(lastDay - 30);
    const earlier = isoOfDay(lastDay - 90);
    const repeated = rows[0]?.opportunityId ?? 'OPP-000001';
    rows.push(
      {
        opportunityId: null,
        accountId: someone,
        createdOn: earlier,
        closedOn: day,
        stage: 'won',
        amount: '1000.00',
      },
      {
        opportunityId: repeated,
        accountId: someone,
        createdOn: earlier,
        closedOn: day,
        stage: 'lost',
        amount: '1500.00',
      },
      {
        opportunityId: id(),
        accountId: someone,
        createdOn: earlier,
        closedOn: null,
        stage: 'negotiation',
        amount: '2000.00',
      },
      {
        opportunityId: id(),
        accountId: someone,
        createdOn: day,
        closedOn: earlier,
        stage: 'won',
        amount: '2500.00',
      },
      {
        opportunityId: id(),
        accountId: someone,
        createdOn: earlier,
        closedOn: null,
        stage: 'won',
        amount: '3000.00',
      },
      {
        opportunityId: id(),
        accountId: someone,
        createdOn: earlier,
        closedOn: day,
        stage: 'lost',
        amount: '-500.00',
      },
      {
        opportunityId: id(),
        accountId: 'ACC-UNKNOWN',
        createdOn: earlier,
        closedOn: day,
        stage: 'won',
        amount: '4000.00',
      },
    );
  }
  return rows;
}

function monthId(day: number): string {
  const { year, month } = partsOfDay(day);
  return `${year}-${String(month).padStart(2, '0')}`;
}

/**
 * Costs a finance team would export for the book: each new account's acquisition cost (sales time and
 * commission, a share of its first-year spend that is larger for small accounts) in the month it was won;
 * marketing spend and a pooled support desk per segment and month; and each account's own service cost per
 * calendar quarter it was active (`YYYY-Qn`, so the sample assumes a fiscal year starting in January), a share
 * of its spend that is larger for small accounts, with a floor. With planted problems (and at least
 * MIN_ROWS_FOR_PLANTED good rows), one row each has an
 * impossible period, kind 'marketing', no account or segment, both, a negative amount, an unknown account and
 * an unconfigured segment ('Platinum').
 */
export function sampleCosts(book: SampleBook): SampleCost[] {
  const rng = new SampleRandom(book.options.seed, 112);
  const { firstDay, lastDay, months } = book.window;
  const rows: SampleCost[] = [];
  const tiers: Tier[] = ['High', 'Medium', 'Low'];
  for (const month of months) {
    if (month.lastDay > lastDay) continue;
    const period = `${month.year}-${String(month.month).padStart(2, '0')}`;
    for (const tier of tiers) {
      rows.push(
        {
          period,
          accountId: null,
          segment: tier,
          kind: 'acquisition',
          amount: money(SEGMENT_MARKETING[tier] * rng.lognormal(0, 0.15)),
        },
        {
          period,
          accountId: null,
          segment: tier,
          kind: 'service',
          amount: money(SEGMENT_SUPPORT[tier] * rng.lognormal(0, 0.1)),
        },
      );
    }
  }
  const quarters = months.filter((m) => (m.month - 1) % 3 === 0 && m.firstDay >= firstDay);
  for (const plan of book.plans) {
    if (!Number.isFinite(plan.activeFrom)) continue;
    const tier = tierOf(plan.annualSpend);
    if (plan.activeFrom > firstDay && plan.activeFrom <= lastDay) {
      rows.push({
        period: monthId(plan.activeFrom),
        accountId: plan.row.accountId,
        segment: null,
        kind: 'acquisition',
        amount: money(
          Math.max(400, plan.annualSpend * SELLING[tier].acquisitionShare * rng.lognormal(0, 0.3)),
        ),
      });
    }
    for (const q of quarters) {
      const quarterEnd = q.firstDay + 89;
      if (quarterEnd > lastDay || !isActive(plan, q.firstDay + 45)) continue;
      const quarterly =
        Math.max(150, (plan.annualSpend / 4) * SELLING[tier].serviceShare) * rng.lognormal(0, 0.25);
      rows.push({
        period: `${q.year}-Q${(q.month + 2) / 3}`,
        accountId: plan.row.accountId,
        segment: null,
        kind: 'service',
        amount: money(quarterly),
      });
    }
  }
  const someone = book.plans.find((p) => Number.isFinite(p.activeFrom))?.row.accountId;
  if (book.options.plantProblems && someone && rows.length >= MIN_ROWS_FOR_PLANTED) {
    const period = monthId(lastDay - 40);
    rows.push(
      {
        period: `${partsOfDay(lastDay).year}-13`,
        accountId: someone,
        segment: null,
        kind: 'service',
        amount: '120.00',
      },
      { period, accountId: someone, segment: null, kind: 'marketing', amount: '300.00' },
      { period, accountId: null, segment: null, kind: 'service', amount: '80.00' },
      { period, accountId: someone, segment: 'Medium', kind: 'service', amount: '90.00' },
      { period, accountId: someone, segment: null, kind: 'service', amount: '-250.00' },
      { period, accountId: 'ACC-UNKNOWN', segment: null, kind: 'acquisition', amount: '700.00' },
      { period, accountId: null, segment: 'Platinum', kind: 'service', amount: '1000.00' },
    );
  }
  return rows;
}

/** The two optional sales inputs of a book as CSV text, by table name. */
export function salesInputsCsv(book: SampleBook): Record<'opportunities' | 'costs', string> {
  return {
    opportunities: toSampleCsv(
      OPPORTUNITY_COLUMNS,
      sampleOpportunities(book).map((o) => [
        o.opportunityId,
        o.accountId,
        o.createdOn,
        o.closedOn,
        o.stage,
        o.amount,
      ]),
    ),
    costs: toSampleCsv(
      COST_COLUMNS,
      sampleCosts(book).map((c) => [c.period, c.accountId, c.segment, c.kind, c.amount]),
    ),
  };
}
