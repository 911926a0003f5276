import type { CalendarMonth } from './calendar.ts';
import { isoOfDay } from './calendar.ts';
import type { Country, Industry } from './catalog.ts';
import {
  COUNTRIES,
  INDUSTRIES,
  NAME_ENDS,
  NAME_STARTS,
  OWNER_DOMAIN,
  OWNER_FIRST_NAMES,
  OWNER_LAST_NAMES,
  PRODUCTS,
  SEASONALITY,
  SURNAMES,
} from './catalog.ts';
import { SampleRandom } from './random.ts';

/** One row of the `accounts` input table (DESIGN §3), as generated. */
export interface AccountRow {
  readonly accountId: string;
  readonly accountName: string;
  readonly ownerEmail: string;
  readonly ownerName: string;
  readonly industry: string | null;
  readonly country: string;
  readonly employeeCount: number | null;
  readonly createdOn: string;
  /** The optional `last_reviewed_on`: a third of the accounts have one, in the last five months of the book. */
  readonly lastReviewedOn: string | null;
}

/**
 * A last review date for every third account, spread over the last five months of the book (never before the
 * account was created); derived from the account's position, not drawn, so adding it left every book as it was.
 */
function lastReviewOf(index: number, createdDay: number, window: BookWindow): string | null {
  if (index % 3 !== 0) return null;
  const day = window.lastDay - 5 - ((index * 37) % 150);
  return day >= createdDay ? isoOfDay(day) : null;
}

export type BillingPattern = 'monthly' | 'quarterly' | 'annual' | 'ad_hoc';

/** How one account buys over time; the revenue line generator turns it into invoices. */
export interface AccountPlan {
  readonly row: AccountRow;
  /** First day (day number) the account can be invoiced; Infinity for a prospect that never buys. */
  readonly activeFrom: number;
  /** Day the account stops buying (Infinity when it does not churn inside the window). */
  readonly churnOn: number;
  /** Day a churned account comes back (Infinity when it does not). */
  readonly reactivateOn: number;
  /** Annual spend when it became active (at the window start for accounts older than the window). */
  readonly annualSpend: number;
  /** Continuous yearly growth rate of spend: 0.1 grows about 10% a year, negative shrinks. */
  readonly growth: number;
  readonly billing: BillingPattern;
  /** Day of the month subscription invoices are dated (1..28). */
  readonly billingDay: number;
  /** Quarterly: the (year * 12 + month - 1) % 3 that is billed; annual: the renewal month 1..12. */
  readonly billingMonth: number;
  /** Ad hoc invoices per year at average seasonality. */
  readonly adHocRate: number;
  /** Indexes into PRODUCTS this account buys, most important first. */
  readonly products: readonly number[];
}

export interface Owner {
  readonly name: string;
  readonly email: string;
}

/** The generated window: revenue lines fall in [firstDay, lastDay]. */
export interface BookWindow {
  readonly firstDay: number;
  readonly lastDay: number;
  readonly months: readonly CalendarMonth[];
}

/**
 * Lognormal parameters of annual spend. With them and the defaults, about 3% of the accounts that bought
 * in the last 12 months exceed 100,000 (High), about a quarter fall in 10,000-100,000 (Medium), the rest are
 * Low, and the top 10% of accounts carry roughly two thirds of revenue.
 */
const SPEND_MU = 8.3;
const SPEND_SIGMA = 1.65;
const SPEND_CAP = 3_000_000;
/** Share of invoices that get a (partial or full) credit note later. */
export const CREDIT_NOTE_RATE = 0.015;

const ENTERPRISE_SPEND = 60_000;

interface Profile {
  readonly order: number;
  readonly createdDay: number;
  readonly activeFrom: number;
  readonly churnOn: number;
  readonly reactivateOn: number;
  readonly annualSpend: number;
  /** tier(annualSpend), kept because the line-count solver asks for it many times. */
  readonly tier: number;
  readonly growth: number;
  readonly industry: number;
  readonly country: number;
  readonly employeeCount: number | null;
  readonly missingIndustry: boolean;
  /** Uniform draw that picks the billing pattern once the frequency scale is known. */
  readonly billingDraw: number;
  readonly billingDay: number;
  readonly quarterOffset: number;
  readonly renewalMonth: number;
  readonly adHocBase: number;
  readonly sizeWeight: number;
  readonly productRanking: readonly number[];
  readonly namePattern: number;
  readonly nameParts: readonly number[];
  readonly ownerDraw: number;
  readonly ownerPick: number;
}

/** Expected invoices of one account under each billing pattern (ad hoc at one invoice a year). */
interface InvoiceExposure {
  readonly monthly: number;
  readonly quarterly: number;
  readonly annual: number;
  readonly adHocPerRate: number;
}

const COUNTRY_WEIGHTS = COUNTRIES.map((c) => c.weight);
const INDUSTRY_WEIGHTS = INDUSTRIES.map((i) => i.weight);
const RENEWAL_WEIGHTS = SEASONALITY.map((s) => s * s * s);

/** Owner names and addresses: distinct first/last pairs, the address ASCII-folded (Zoë O'Neill -> zoe.oneill). */
export function makeOwners(seed: number, count: number): Owner[] {
  const rng = new SampleRandom(seed, 7);
  const owners: Owner[] = [];
  const used = new Set<string>();
  while (owners.length < count) {
    const first = rng.pick(OWNER_FIRST_NAMES);
    const last = rng.pick(OWNER_LAST_NAMES);
    const name = `${first} ${last}`;
    if (used.has(name)) continue;
    used.add(name);
    const local = `${first}.${last}`
      .normalize('NFD')
      .replace(/[^A-Za-z.]/g, '')
      .toLowerCase();
    owners.push({ name, email: `${local}@${OWNER_DOMAIN}` });
  }
  return owners;
}

/** Spend tier in 0..1 (2,000 -> 0, 200,000 -> 1) that shifts billing towards subscriptions. */
function tier(annualSpend: number): number {
  return Math.min(1, Math.max(0, Math.log(annualSpend / 2_000) / Math.log(100)));
}

/**
 * Billing pattern from the account's draw and the frequency scale `f` (1 = the usual mix; smaller moves
 * accounts from monthly and quarterly billing to ad hoc and annual, for books with very few lines).
 */
function billingOf(p: Profile, f: number): BillingPattern {
  const z = p.tier;
  const monthly = (0.2 + 0.25 * z) * f;
  const quarterly = (0.15 + 0.15 * z) * f;
  const adHoc = 0.45 - 0.35 * z;
  if (p.billingDraw < monthly) return 'monthly';
  if (p.billingDraw < monthly + quarterly) return 'quarterly';
  if (p.billingDraw < monthly + quarterly + adHoc) return 'ad_hoc';
  return 'annual';
}

function overlapDays(from: number, to: number, start: number, end: number): number {
  return Math.max(0, Math.min(to, end) - Math.max(from, start) + 1);
}

/** Days in [from, to] on which the account buys. */
export function activeDays(
  a: Pick<AccountPlan, 'activeFrom' | 'churnOn' | 'reactivateOn'>,
  from: number,
  to: number,
): number {
  return (
    overlapDays(from, to, a.activeFrom, a.churnOn - 1) +
    overlapDays(from, to, a.reactivateOn, Number.POSITIVE_INFINITY)
  );
}

export function isActive(
  a: Pick<AccountPlan, 'activeFrom' | 'churnOn' | 'reactivateOn'>,
  day: number,
): boolean {
  return (day >= a.activeFrom && day < a.churnOn) || day >= a.reactivateOn;
}

/** The day a subscription invoice is dated in a month (billing days run 1..28, so every month has it). */
export function billingDate(month: CalendarMonth, billingDay: number): number {
  return month.firstDay + billingDay - 1;
}

/** Whether a subscription account is invoiced in this month (before checking that it is active). */
export function billsIn(a: Pick<AccountPlan, 'billing' | 'billingMonth'>, month: CalendarMonth): boolean {
  switch (a.billing) {
    case 'monthly':
      return true;
    case 'quarterly':
      return (month.year * 12 + month.month - 1) % 3 === a.billingMonth;
    case 'annual':
      return month.month === a.billingMonth;
    case 'ad_hoc':
      return false;
  }
}

function exposureOf(p: Profile, window: BookWindow): InvoiceExposure {
  let monthly = 0;
  let quarterly = 0;
  let annual = 0;
  let adHocPerRate = 0;
  if (!Number.isFinite(p.activeFrom)) return { monthly, quarterly, annual, adHocPerRate };
  for (const month of window.months) {
    const day = billingDate(month, p.billingDay);
    if (day >= window.firstDay && day <= window.lastDay && isActive(p, day)) {
      monthly++;
      if (billsIn({ billing: 'quarterly', billingMonth: p.quarterOffset }, month)) quarterly++;
      if (billsIn({ billing: 'annual', billingMonth: p.renewalMonth }, month)) annual++;
    }
    const from = Math.max(month.firstDay, window.firstDay);
    const to = Math.min(month.lastDay, window.lastDay);
    const days = activeDays(p, from, to);
    adHocPerRate += (days / 365) * (SEASONALITY[month.month - 1] as number);
  }
  return { monthly, quarterly, annual, adHocPerRate };
}

/** Efraimidis-Spirakis weighted order without replacement: key u^(1/w), largest first. */
function rankProducts(rng: SampleRandom): number[] {
  const keys = PRODUCTS.map((p, i) => ({ i, key: Math.log(1 - rng.float()) / p.popularity }));
  keys.sort((a, b) => b.key - a.key || a.i - b.i);
  return keys.map((k) => k.i);
}

/** Scale of the Gamma(1/2) churn hazard: P(no churn within t days) = (1 + t / scale)^(-1/2). */
const CHURN_HAZARD_SCALE_DAYS = 1_400;

function drawProfile(rng: SampleRandom, order: number, window: BookWindow): Profile {
  const span = window.lastDay - window.firstDay;
  const prospect = rng.chance(0.03);
  const existing = rng.chance(0.55);
  // New accounts arrive a little faster later in the window: the business is growing.
  const createdDay = existing
    ? window.firstDay - rng.int(30, 365 * 8)
    : window.firstDay + Math.floor(rng.float() ** 0.85 * Math.max(1, span - 30));
  const activeFrom = prospect
    ? Number.POSITIVE_INFINITY
    : existing
      ? window.firstDay
      : createdDay + rng.int(0, 45);
  let churnOn = Number.POSITIVE_INFINITY;
  let reactivateOn = Number.POSITIVE_INFINITY;
  if (!prospect) {
    // Each account has its own churn hazard, Gamma(1/2)-distributed across accounts (a mean lifetime of
    // years for most, months for a few): the heterogeneous dropout that a BG/NBD fit can identify, about a
    // quarter of accounts churning within three years.
    const hazard = rng.normal() ** 2 / (2 * CHURN_HAZARD_SCALE_DAYS);
    const candidate = activeFrom + Math.floor(-Math.log1p(-rng.float()) / Math.max(hazard, 1e-12));
    if (candidate <= window.lastDay) {
      churnOn = candidate;
      if (rng.chance(0.35)) {
        const back = churnOn + rng.int(150, 540);
        if (back <= window.lastDay) reactivateOn = back;
      }
    }
  }
  const spend = Math.min(
    SPEND_CAP,
    Math.max(300, rng.lognormal(SPEND_MU, SPEND_SIGMA) * (existing ? 1 : 0.6)),
  );
  const z = tier(spend);
  const growth = Math.min(0.9, Math.max(-0.6, 0.04 + 0.22 * rng.normal() + (existing ? 0 : 0.12)));
  const industry = rng.weightedIndex(INDUSTRY_WEIGHTS);
  const country = rng.weightedIndex(COUNTRY_WEIGHTS);
  // Firmographics follow spend loosely, so that a wallet estimate from them is informative but not exact.
  const employees = Math.round(Math.min(400_000, Math.max(1, (spend / 120) * rng.lognormal(0, 0.8))));
  return {
    order,
    createdDay,
    activeFrom,
    churnOn,
    reactivateOn,
    annualSpend: spend,
    growth,
    industry,
    country,
    employeeCount: rng.chance(0.03) ? null : employees,
    missingIndustry: rng.chance(0.01),
    billingDraw: rng.float(),
    billingDay: rng.int(1, 28),
    quarterOffset: rng.int(0, 2),
    renewalMonth: rng.weightedIndex(RENEWAL_WEIGHTS) + 1,
    tier: z,
    adHocBase: (2 + 6 * rng.float()) * (1 + z),
    sizeWeight: (spend / 5_000) ** 0.35 * rng.lognormal(0, 0.25),
    productRanking: rankProducts(rng),
    namePattern: rng.weightedIndex([60, 10, 12, 3, 5, 1]),
    nameParts: [rng.float(), rng.float(), rng.float(), rng.float(), rng.float()],
    ownerDraw: rng.float(),
    ownerPick: rng.float(),
  };
}

function partOf<T>(items: readonly T[], u: number): T {
  return items[Math.min(items.length - 1, Math.floor(u * items.length))] as T;
}

/**
 * An account name in the style of its industry and country. Pattern 3 has commas and pattern 5 double
 * quotes, so that names exercise CSV quoting.
 */
function accountName(p: Profile, pattern: number): string {
  const [a = 0, b = 0, c = 0, d = 0, e = 0] = p.nameParts;
  const root = `${partOf(NAME_STARTS, a)}${partOf(NAME_ENDS, b)}`;
  const word = partOf((INDUSTRIES[p.industry] as Industry).words, c);
  const suffix = partOf((COUNTRIES[p.country] as Country).suffixes, d);
  const join = (name: string) => (suffix.startsWith(',') ? `${name}${suffix}` : `${name} ${suffix}`);
  switch (pattern) {
    case 1:
      return join(root);
    case 2:
      return `${partOf(SURNAMES, a)} & ${partOf(SURNAMES, e)} ${word}`;
    case 3:
      return `${partOf(SURNAMES, a)}, ${partOf(SURNAMES, e)} & ${partOf(SURNAMES, c)}`;
    case 4:
      return `The ${root} ${word} Company`;
    case 5:
      return join(`"${root}" ${word}`);
    default:
      return join(`${root} ${word}`);
  }
}

function ownerOf(p: Profile, owners: readonly Owner[]): Owner {
  // The first fifth of the owners are enterprise reps who hold most of the large accounts.
  const enterprise = Math.max(1, Math.round(owners.length / 5));
  const large = p.annualSpend >= ENTERPRISE_SPEND;
  const toEnterprise = owners.length === enterprise || (large && p.ownerDraw < 0.85);
  const pool = toEnterprise ? owners.slice(0, enterprise) : owners.slice(enterprise);
  // Books are uneven: earlier reps in a pool hold more accounts.
  return pool[Math.min(pool.length - 1, Math.floor(p.ownerPick ** 1.3 * pool.length))] as Owner;
}

/** Products per invoice of an account for the line-count scale `c`. */
function productCount(p: Profile, c: number): number {
  return Math.min(PRODUCTS.length, Math.max(1, Math.round(c * p.sizeWeight)));
}

function expectedInvoices(
  p: Profile,
  x: InvoiceExposure,
  f: number,
): { subscription: number; adHoc: number } {
  switch (billingOf(p, f)) {
    case 'monthly':
      return { subscription: x.monthly, adHoc: 0 };
    case 'quarterly':
      return { subscription: x.quarterly, adHoc: 0 };
    case 'annual':
      return { subscription: x.annual, adHoc: 0 };
    case 'ad_hoc':
      return { subscription: 0, adHoc: x.adHocPerRate * p.adHocBase * f };
  }
}

function expectedLines(
  profiles: readonly Profile[],
  exposure: readonly InvoiceExposure[],
  f: number,
  c: number,
) {
  let total = 0;
  for (let i = 0; i < profiles.length; i++) {
    const p = profiles[i] as Profile;
    const { subscription, adHoc } = expectedInvoices(p, exposure[i] as InvoiceExposure, f);
    const k = productCount(p, c);
    total += subscription * k + (adHoc * (k + 1)) / 2 + (subscription + adHoc) * CREDIT_NOTE_RATE;
  }
  return total;
}

/** Largest x in [lo, hi] with fn(x) <= target, by bisection of a non-decreasing fn. */
function solve(fn: (x: number) => number, target: number, lo: number, hi: number): number {
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (fn(mid) <= target) lo = mid;
    else hi = mid;
  }
  return lo;
}

export interface PlannedAccounts {
  readonly owners: readonly Owner[];
  /** Ordered by account id, which follows creation date. */
  readonly plans: readonly AccountPlan[];
  /** Expected number of (valid) revenue lines the plans produce. */
  readonly expectedLines: number;
}

/**
 * Draws `count` accounts and their buying behaviour, then scales products per invoice (and, for very small
 * targets, billing frequency) so that the expected number of revenue lines is close to `targetLines`.
 */
export function planAccounts(
  seed: number,
  count: number,
  ownerCount: number,
  targetLines: number,
  window: BookWindow,
): PlannedAccounts {
  const rng = new SampleRandom(seed, 1);
  const profiles: Profile[] = [];
  for (let i = 0; i < count; i++) profiles.push(drawProfile(rng, i, window));
  // Account ids follow creation date, as a CRM would number them.
  profiles.sort((a, b) => a.createdDay - b.createdDay || a.order - b.order);
  const exposure = profiles.map((p) => exposureOf(p, window));

  let f = 1;
  let c = 0;
  if (expectedLines(profiles, exposure, 1, 0) > targetLines) {
    f = solve((x) => expectedLines(profiles, exposure, x, 0), targetLines, 0.02, 1);
  } else {
    c = solve((x) => expectedLines(profiles, exposure, 1, x), targetLines, 0, 200);
  }

  const owners = makeOwners(seed, ownerCount);
  const width = Math.max(6, String(count).length);
  const plans = profiles.map((p, i): AccountPlan => {
    const owner = ownerOf(p, owners);
    // Make sure every book has a name with commas and one with quotes, whatever the seed.
    const pattern = i === 1 ? 3 : i === 2 ? 5 : p.namePattern;
    const billing = billingOf(p, f);
    return {
      row: {
        accountId: `ACC-${String(i + 1).padStart(width, '0')}`,
        accountName: accountName(p, pattern),
        ownerEmail: owner.email,
        ownerName: owner.name,
        industry: p.missingIndustry ? null : (INDUSTRIES[p.industry]?.name ?? null),
        country: COUNTRIES[p.country]?.code ?? 'US',
        employeeCount: p.employeeCount,
        createdOn: isoOfDay(p.createdDay),
        lastReviewedOn: lastReviewOf(i, p.createdDay, window),
      },
      activeFrom: p.activeFrom,
      churnOn: p.churnOn,
      reactivateOn: p.reactivateOn,
      annualSpend: p.annualSpend,
      growth: p.growth,
      billing,
      billingDay: p.billingDay,
      billingMonth: billing === 'quarterly' ? p.quarterOffset : p.renewalMonth,
      adHocRate: p.adHocBase * f,
      products: p.productRanking.slice(0, productCount(p, c)),
    };
  });
  return { owners, plans, expectedLines: expectedLines(profiles, exposure, f, c) };
}
