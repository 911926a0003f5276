import { CAMPAIGN_RESPONSE_COLUMNS } from '../campaigns/campaign-responses.ts';
import { ACTIVITY_COLUMNS } from '../engagement/engagement.ts';
import { SEGMENT_OVERRIDE_COLUMNS } from '../overrides/segment-overrides.ts';
import { type AccountPlan, isActive } from './accounts.ts';
import { isoOfDay } from './calendar.ts';
import { CSV_LINE_END, csvField } from './csv.ts';
import { SampleRandom } from './random.ts';
import type { SampleBook } from './sample-book.ts';

/** One row of the sample `activities` input; `count` is text so a planted bad value can be written. */
export interface SampleActivity {
  readonly accountId: string | null;
  readonly occurredOn: string;
  readonly kind: string;
  readonly count: string | null;
}

/** One row of the sample `segment_overrides` input. */
export interface SampleOverride {
  readonly accountId: string;
  readonly segment: string;
  readonly reason: string;
  readonly setBy: string;
  readonly expiresOn: string;
}

/** One row of the sample `campaign_responses` input; booleans as text so a planted bad value can be written. */
export interface SampleCampaignResponse {
  readonly campaignId: string;
  readonly accountId: string;
  readonly sentOn: string;
  readonly responded: string;
  readonly converted: string;
  readonly campaignType: string;
}

/** Bad rows planted per input when the book plants problems; the checks must find exactly these. */
export const PLANTED_ENGAGEMENT_PROBLEMS = {
  activities: { missing_account_id: 1, unparsable_occurred_on: 1, invalid_count: 1, unknown_account: 1 },
  segment_overrides: { unknown_account: 1, unknown_segment: 1 },
  campaign_responses: {
    unparsable_flag: 1,
    converted_without_response: 1,
    unknown_account: 1,
    duplicate_response: 1,
  },
} as const;

/** Months of activity history the generator writes (enough for a recent quarter against a year before). */
const ACTIVITY_MONTHS = 24;
/** Days before churn over which an account's activity fades out. */
const FADE_DAYS = 180;

/** Engagement propensity of an account: bigger customers do more, with a lognormal spread between accounts. */
function propensity(plan: AccountPlan, rng: SampleRandom): number {
  const size = 1 + Math.log10(Math.max(plan.annualSpend, 1_000) / 1_000) / 2;
  return size * rng.lognormal(0, 0.45);
}

/** 1 while an account is healthy, fading towards 0.1 over the FADE_DAYS before it churns, 0 when inactive. */
function vitality(plan: AccountPlan, day: number): number {
  if (!isActive(plan, day)) return 0;
  if (plan.churnOn === Number.POSITIVE_INFINITY || day >= plan.churnOn) return 1;
  const left = plan.churnOn - day;
  return left >= FADE_DAYS ? 1 : Math.max(0.1, left / FADE_DAYS);
}

/**
 * Activities of the book's accounts over the last 24 months: meetings, support tickets and email replies
 * as single events, product logins as one monthly row with a count. Bigger accounts are more active, and an
 * account's activity fades in the six months before it churns, so engagement warns ahead of revenue.
 * With planted problems, one row each has no account id, an impossible date, a negative count and an
 * unknown account.
 */
export function sampleActivities(book: SampleBook): SampleActivity[] {
  const rng = new SampleRandom(book.options.seed, 101);
  const months = book.window.months.slice(-ACTIVITY_MONTHS);
  const rows: SampleActivity[] = [];
  const lastDay = book.window.lastDay;
  for (const plan of book.plans) {
    const p = propensity(plan, rng);
    for (const month of months) {
      const end = Math.min(month.lastDay, lastDay);
      const v = vitality(plan, Math.floor((month.firstDay + end) / 2));
      if (v === 0) continue;
      const span = end - month.firstDay;
      const at = () => isoOfDay(month.firstDay + rng.int(0, span));
      for (const [kind, rate] of [
        ['meeting', 0.7],
        ['support_ticket', 0.6],
        ['email_reply', 1.4],
      ] as const) {
        const n = rng.poisson(rate * p * v);
        for (let i = 0; i < n; i++)
          rows.push({ accountId: plan.row.accountId, occurredOn: at(), kind, count: null });
      }
      const logins = Math.round(18 * p * v * rng.lognormal(0, 0.3));
      if (logins > 0) {
        rows.push({
          accountId: plan.row.accountId,
          occurredOn: isoOfDay(end),
          kind: 'product_login',
          count: String(logins),
        });
      }
    }
  }
  if (book.options.plantProblems && book.plans.length > 0) {
    const someone = book.plans[0]?.row.accountId ?? 'ACC-000001';
    const day = isoOfDay(lastDay - 10);
    rows.push(
      { accountId: null, occurredOn: day, kind: 'meeting', count: null },
      { accountId: someone, occurredOn: '2025-02-30', kind: 'meeting', count: null },
      { accountId: someone, occurredOn: day, kind: 'product_login', count: '-3' },
      { accountId: 'ACC-UNKNOWN', occurredOn: day, kind: 'email_reply', count: null },
    );
  }
  return rows;
}

const PIN_UP_REASONS = [
  'strategic logo: reference customer for the industry',
  'expansion pilot signed, full roll-out expected next quarter',
  'board-level relationship, treat as key account',
  'multi-year framework agreement in negotiation',
];

/**
 * Segment overrides a sales team would set: about 3% of the active accounts (at least 3) below High pinned
 * one segment up with a reason, one shrinking account pinned to stay where it was, and two overrides that
 * expired 40 days before the book's end. Owners set their own overrides. With planted problems, one
 * override names an unknown account and one a segment that is not configured ('Platinum').
 * Segment names are the default brackets' (High, Medium, Low).
 */
export function sampleSegmentOverrides(book: SampleBook): SampleOverride[] {
  const rng = new SampleRandom(book.options.seed, 102);
  const lastDay = book.window.lastDay;
  const active = book.plans.filter((p) => isActive(p, lastDay) && p.activeFrom <= lastDay - 365);
  const yearsActive = (p: AccountPlan) =>
    Math.max(0, (lastDay - Math.max(p.activeFrom, book.window.firstDay)) / 365);
  const spendNow = (p: AccountPlan) => p.annualSpend * Math.exp(p.growth * yearsActive(p));
  const below = active.filter((p) => spendNow(p) < 90_000 && spendNow(p) > 3_000);
  const pinned = Math.max(3, Math.round(active.length * 0.03));
  const chosen = new Set<AccountPlan>();
  while (chosen.size < Math.min(pinned, below.length)) chosen.add(rng.pick(below));
  const rows: SampleOverride[] = [...chosen].map((p) => ({
    accountId: p.row.accountId,
    segment: spendNow(p) >= 12_000 ? 'High' : 'Medium',
    reason: rng.pick(PIN_UP_REASONS),
    setBy: p.row.ownerEmail,
    expiresOn: isoOfDay(lastDay + rng.int(60, 330)),
  }));
  const shrinking = active.filter((p) => !chosen.has(p) && p.growth < -0.1 && spendNow(p) > 8_000);
  const kept = shrinking.length > 0 ? rng.pick(shrinking) : undefined;
  if (kept) {
    chosen.add(kept);
    rows.push({
      accountId: kept.row.accountId,
      segment: spendNow(kept) >= 70_000 ? 'High' : 'Medium',
      reason: 'renewal under negotiation: keep the current coverage until it closes',
      setBy: kept.row.ownerEmail,
      expiresOn: isoOfDay(lastDay + 120),
    });
  }
  const rest = active.filter((p) => !chosen.has(p));
  for (let i = 0; i < 2 && rest.length > 0; i++) {
    const p = rest.splice(rng.int(0, rest.length - 1), 1)[0] as AccountPlan;
    rows.push({
      accountId: p.row.accountId,
      segment: 'High',
      reason: 'trade-show lead follow-up',
      setBy: p.row.ownerEmail,
      expiresOn: isoOfDay(lastDay - 40),
    });
  }
  if (book.options.plantProblems) {
    const someone = active[0]?.row ?? book.plans[0]?.row;
    rows.push(
      {
        accountId: 'ACC-UNKNOWN',
        segment: 'High',
        reason: 'typo in the account id',
        setBy: someone?.ownerEmail ?? '',
        expiresOn: isoOfDay(lastDay + 90),
      },
      {
        accountId: someone?.accountId ?? 'ACC-000001',
        segment: 'Platinum',
        reason: 'segment that is not configured',
        setBy: someone?.ownerEmail ?? '',
        expiresOn: isoOfDay(lastDay + 90),
      },
    );
  }
  return rows;
}

type Tier = 'top' | 'mid' | 'low';
const CAMPAIGN_TYPES = ['premium', 'targeted', 'automated'] as const;
/** Probability of a response by campaign type and the account's spend tier: each type works best for its audience. */
const RESPONSE: Readonly<Record<(typeof CAMPAIGN_TYPES)[number], Readonly<Record<Tier, number>>>> = {
  premium: { top: 0.38, mid: 0.16, low: 0.05 },
  targeted: { top: 0.18, mid: 0.26, low: 0.1 },
  automated: { top: 0.03, mid: 0.06, low: 0.11 },
};
const CONVERSION: Readonly<Record<(typeof CAMPAIGN_TYPES)[number], number>> = {
  premium: 0.45,
  targeted: 0.3,
  automated: 0.15,
};
/** Share of each tier a campaign type is sent to. */
const AUDIENCE: Readonly<Record<(typeof CAMPAIGN_TYPES)[number], Readonly<Record<Tier, number>>>> = {
  premium: { top: 1, mid: 0.25, low: 0 },
  targeted: { top: 0.3, mid: 1, low: 0.3 },
  automated: { top: 0.5, mid: 1, low: 1 },
};

/**
 * The audience tier of an account on a day, from the annual spend it has grown to by then, on the default
 * brackets (High above 100,000, Medium from 10,000): the tier marketing would target. An account active for
 * less than a quarter counts as low, its first invoices are still to come.
 */
function tierAt(plan: AccountPlan, day: number, book: SampleBook): Tier {
  if (day - plan.activeFrom < 90) return 'low';
  const years = Math.max(0, (day - Math.max(plan.activeFrom, book.window.firstDay)) / 365);
  const spend = plan.annualSpend * Math.exp(plan.growth * years);
  return spend > 100_000 ? 'top' : spend >= 10_000 ? 'mid' : 'low';
}

/**
 * Campaign responses over the book's last eight quarters: each quarter one premium, one targeted and one
 * automated campaign (the playbook's marketing types), sent on the 10th of the quarter's first month to the
 * accounts active then, mostly to the tier the type is meant for (by the spend each account has grown to). Responses and conversions are drawn so
 * each type works best for its own audience. With planted problems, one row has responded 'maybe', one is
 * converted without a response, one names an unknown account, and the last response is sent twice.
 */
export function sampleCampaignResponses(book: SampleBook): SampleCampaignResponse[] {
  const rng = new SampleRandom(book.options.seed, 103);
  const lastDay = book.window.lastDay;
  const quarterStarts = book.window.months
    .filter((m) => (m.month - 1) % 3 === 0 && m.firstDay + 9 <= lastDay)
    .slice(-8);
  const rows: SampleCampaignResponse[] = [];
  for (const month of quarterStarts) {
    const sentDay = month.firstDay + 9;
    const active = book.plans.filter((p) => isActive(p, sentDay));
    const tierOf = new Map<AccountPlan, Tier>(active.map((p) => [p, tierAt(p, sentDay, book)]));
    const quarter = `${month.year}Q${(month.month + 2) / 3}`;
    for (const type of CAMPAIGN_TYPES) {
      for (const plan of active) {
        const tier = tierOf.get(plan) ?? 'low';
        if (!rng.chance(AUDIENCE[type][tier])) continue;
        const responded = rng.chance(RESPONSE[type][tier]);
        const converted = responded && rng.chance(CONVERSION[type]);
        rows.push({
          campaignId: `CMP-${quarter}-${type}`,
          accountId: plan.row.accountId,
          sentOn: isoOfDay(sentDay),
          responded: String(responded),
          converted: String(converted),
          campaignType: type,
        });
      }
    }
  }
  const someone = book.plans[0]?.row.accountId;
  if (book.options.plantProblems && someone && quarterStarts.length > 0) {
    const sentOn = isoOfDay((quarterStarts.at(-1)?.firstDay ?? lastDay) + 9);
    const last = rows.at(-1);
    const id = last?.campaignId ?? 'CMP-planted';
    if (last) rows.push({ ...last });
    rows.push(
      {
        campaignId: id,
        accountId: someone,
        sentOn,
        responded: 'maybe',
        converted: 'false',
        campaignType: 'automated',
      },
      {
        campaignId: id,
        accountId: someone,
        sentOn,
        responded: 'false',
        converted: 'true',
        campaignType: 'automated',
      },
      {
        campaignId: id,
        accountId: 'ACC-UNKNOWN',
        sentOn,
        responded: 'true',
        converted: 'false',
        campaignType: 'automated',
      },
    );
  }
  return rows;
}

/** Rows of one table as RFC 4180 CSV with a header (see `csvField`). */
export function toSampleCsv(
  columns: readonly string[],
  rows: readonly (readonly (string | null)[])[],
): string {
  return [columns.join(','), ...rows.map((r) => r.map(csvField).join(','))].join(CSV_LINE_END) + CSV_LINE_END;
}

/** The three optional engagement inputs of a book as CSV text, by table name. */
export function engagementInputsCsv(
  book: SampleBook,
): Record<'activities' | 'segment_overrides' | 'campaign_responses', string> {
  return {
    activities: toSampleCsv(
      ACTIVITY_COLUMNS,
      sampleActivities(book).map((a) => [a.accountId, a.occurredOn, a.kind, a.count]),
    ),
    segment_overrides: toSampleCsv(
      SEGMENT_OVERRIDE_COLUMNS,
      sampleSegmentOverrides(book).map((o) => [o.accountId, o.segment, o.reason, o.setBy, o.expiresOn]),
    ),
    campaign_responses: toSampleCsv(
      CAMPAIGN_RESPONSE_COLUMNS,
      sampleCampaignResponses(book).map((c) => [
        c.campaignId,
        c.accountId,
        c.sentOn,
        c.responded,
        c.converted,
        c.campaignType,
      ]),
    ),
  };
}
