import { RevsegError } from '../errors.ts';
import type { QuarantineReason } from '../quarantine.ts';
import type { AccountPlan, BookWindow } from './accounts.ts';
import { activeDays, billingDate, billsIn, CREDIT_NOTE_RATE, isActive } from './accounts.ts';
import type { CalendarMonth } from './calendar.ts';
import { IsoDayTable, isoOfDay, partsOfDay } from './calendar.ts';
import { PRODUCTS, SEASONALITY } from './catalog.ts';
import { monthKey, PLANTED_FX_CURRENCY, SampleCurrencies } from './fx.ts';
import type { PlantedLineReason } from './planted.ts';
import {
  INVALID_CURRENCIES,
  noPlantedProblems,
  PLANTED_LINE_REASONS,
  UNPARSABLE_AMOUNTS,
  unparsableDates,
} from './planted.ts';
import { SampleRandom } from './random.ts';

/**
 * One row of the `revenue_lines` input table (DESIGN §3) as text, exactly as it is written. Only planted
 * problem rows have a null/empty id, a non-date `bookedOn` or a non-number `amount`.
 */
export interface RevenueLine {
  readonly accountId: string | null;
  readonly invoiceId: string | null;
  readonly bookedOn: string;
  /** Net amount with two decimals; credit notes are negative. */
  readonly amount: string;
  readonly currency: string;
  readonly product: string;
}

export interface RevenueLineStreamInput {
  readonly seed: number;
  readonly plans: readonly AccountPlan[];
  readonly window: BookWindow;
  readonly asOfDay: number;
  /** Bad rows to plant per class, or null for a clean book. */
  readonly planted: Readonly<Record<QuarantineReason, number>> | null;
  /** Invoice accounts in their country's currency (EUR, GBP) instead of USD. @default false */
  readonly multiCurrency?: boolean;
}

/** What a finished stream wrote; read it after the last batch. */
export interface RevenueLineStats {
  /** Every row written, planted ones included. */
  readonly lines: number;
  readonly invoices: number;
  readonly creditNotes: number;
  /** Earliest and latest booked_on of the valid lines (ISO). */
  readonly firstDate: string;
  readonly lastDate: string;
  /** Planted bad rows per class: the line classes as written, the account classes as planned. */
  readonly planted: Record<QuarantineReason, number>;
  /** `CHF 2025-06` for each currency and month that got planted lines whose rate fx_rates must leave out. */
  readonly fxRateHoles: readonly string[];
}

const CURRENCY = 'USD';
const CURRENCY_OF_UNKNOWN_ACCOUNT = CURRENCY;
const PRODUCT_NAMES = PRODUCTS.map((p) => p.name);
const PRODUCT_PRICES = PRODUCTS.map((p) => p.price);
const DAYS_PER_YEAR = 365.25;
/** Spend fades to half over the half year before an account churns. */
const CHURN_FADE_DAYS = 180;
/** A reactivated account comes back smaller than it left. */
const REACTIVATED_SHARE = 0.7;
/** How many recent valid lines are kept as sources for planted duplicates. */
const RECENT_LINES = 8;

/** 1234567 cents -> '12345.67', -5 -> '-0.05'. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const rest = abs - whole * 100;
  return `${sign}${whole}.${rest < 10 ? '0' : ''}${rest}`;
}

interface PendingCredit {
  readonly accountId: string;
  readonly day: number;
  /** In `currency`, the invoice line's. */
  readonly cents: number;
  readonly currency: string;
  readonly product: string;
}

/**
 * Streams the revenue lines of a planned book in batches, month by month (within a month account by
 * account), so memory holds the account plans and one batch, never the whole book:
 * 1. subscription accounts get one invoice per billing month (monthly, quarterly or annual) listing all
 *    their products; ad hoc accounts get a Poisson number of invoices per month, more in Q4, fewer in summer,
 *    each listing some of their products;
 * 2. amounts follow the account's spend, its yearly growth, a fade before churn and the season;
 * 3. about 1.5% of invoices get a credit note (negative, same product) 5 to 60 days later;
 * 4. planted groups of bad rows, one group per class, are spread over the months.
 */
export class RevenueLineStream {
  private readonly rng: SampleRandom;
  /** Planted rows draw from their own stream and id range, so the valid lines do not depend on planting. */
  private readonly plantRng: SampleRandom;
  private plantedSeq = 0;
  private readonly weights = new Float64Array(PRODUCTS.length);
  private readonly days: IsoDayTable;
  private readonly pending = new Map<number, PendingCredit[]>();
  /** Ring buffer of the last RECENT_LINES valid lines; `recentCount` of them are filled. */
  private readonly recent: RevenueLine[] = [];
  private recentCount = 0;
  private readonly plantedCounts = noPlantedProblems();
  private readonly accountIdWidth: number;
  private readonly currencies: SampleCurrencies;
  private readonly fxRateHoles: string[] = [];
  /** Index of the month being written, in `window.months`. */
  private monthIndexNow = 0;
  private invoiceSeq = 0;
  private creditSeq = 0;
  private lines = 0;
  private creditNotes = 0;
  private firstDay = Number.POSITIVE_INFINITY;
  private lastDay = Number.NEGATIVE_INFINITY;
  private done = false;

  constructor(private readonly input: RevenueLineStreamInput) {
    this.rng = new SampleRandom(input.seed, 2);
    this.plantRng = new SampleRandom(input.seed, 3);
    this.days = new IsoDayTable(input.window.firstDay, input.window.lastDay);
    this.accountIdWidth = input.plans[0]?.row.accountId.length ?? 10;
    this.currencies = new SampleCurrencies(input.window.months, input.multiCurrency ?? false);
  }

  /** Batches of about `size` lines (a batch ends after a whole account-month, so it may be a little larger). */
  *batches(size = 50_000): Generator<RevenueLine[], void, undefined> {
    const { window, planted } = this.input;
    const months = window.months;
    const due = new Map<number, PlantedLineReason[]>();
    if (planted) {
      // Group g goes at the end of month round((g + 1) * M / (G + 1)) - 1, spreading the groups out.
      PLANTED_LINE_REASONS.forEach((reason, g) => {
        const at = Math.max(0, Math.round(((g + 1) * months.length) / (PLANTED_LINE_REASONS.length + 1)) - 1);
        due.set(at, [...(due.get(at) ?? []), reason]);
      });
    }
    let batch: RevenueLine[] = [];
    let carried: PlantedLineReason[] = [];
    for (let m = 0; m < months.length; m++) {
      const month = months[m] as CalendarMonth;
      this.monthIndexNow = m;
      for (const plan of this.input.plans) {
        if (month.lastDay < plan.activeFrom) continue;
        this.accountMonth(plan, month, batch);
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      for (const credit of this.pending.get(m) ?? []) this.pushCredit(credit, batch);
      this.pending.delete(m);
      if (planted) {
        const reasons = [...carried, ...(due.get(m) ?? [])];
        carried = [];
        for (const reason of reasons) {
          const isLast = m === months.length - 1;
          if (!this.plant(reason, planted[reason], month, batch, isLast)) carried.push(reason);
        }
      }
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    this.done = true;
  }

  /** Totals of what was streamed; only complete once `batches()` has been read to the end. */
  get stats(): RevenueLineStats {
    if (!this.done)
      throw new RevsegError('revenue line stats are read before the stream was consumed to its end');
    return {
      lines: this.lines,
      invoices: this.invoiceSeq,
      creditNotes: this.creditNotes,
      firstDate: Number.isFinite(this.firstDay) ? this.days.iso(this.firstDay) : '',
      lastDate: Number.isFinite(this.lastDay) ? this.days.iso(this.lastDay) : '',
      planted: {
        ...this.plantedCounts,
        invalid_owner_email: this.input.planted?.invalid_owner_email ?? 0,
        duplicate_account: this.input.planted?.duplicate_account ?? 0,
      },
      fxRateHoles: [...this.fxRateHoles],
    };
  }

  private accountMonth(plan: AccountPlan, month: CalendarMonth, out: RevenueLine[]): void {
    const { window } = this.input;
    if (plan.billing !== 'ad_hoc') {
      if (!billsIn(plan, month)) return;
      const day = billingDate(month, plan.billingDay);
      if (day < window.firstDay || day > window.lastDay || !isActive(plan, day)) return;
      const covered = plan.billing === 'monthly' ? 1 : plan.billing === 'quarterly' ? 3 : 12;
      const season = SEASONALITY[month.month - 1] as number;
      const total =
        ((this.spendOn(plan, day) * covered) / 12) * Math.sqrt(season) * this.rng.lognormal(0, 0.06);
      this.invoice(plan, day, total, plan.products, out);
      return;
    }
    const from = Math.max(month.firstDay, window.firstDay);
    const to = Math.min(month.lastDay, window.lastDay);
    const active = activeDays(plan, from, to);
    if (active === 0) return;
    const mean = ((plan.adHocRate * active) / DAYS_PER_YEAR) * (SEASONALITY[month.month - 1] as number);
    const count = this.rng.poisson(mean);
    if (count === 0) return;
    const dates: number[] = [];
    while (dates.length < count) {
      const day = this.rng.int(from, to);
      if (isActive(plan, day)) dates.push(day);
    }
    dates.sort((a, b) => a - b);
    for (const day of dates) {
      const total = (this.spendOn(plan, day) / plan.adHocRate) * this.rng.lognormal(-0.08, 0.4);
      const k = this.rng.int(1, plan.products.length);
      this.invoice(
        plan,
        day,
        total,
        k === plan.products.length ? plan.products : this.someProducts(plan, k),
        out,
      );
    }
  }

  /** Annual spend rate on a day: growth since activation, a fade before churn, smaller after a comeback. */
  private spendOn(plan: AccountPlan, day: number): number {
    let spend = plan.annualSpend * Math.exp((plan.growth * (day - plan.activeFrom)) / DAYS_PER_YEAR);
    if (day >= plan.reactivateOn) spend *= REACTIVATED_SHARE;
    else if (plan.churnOn - day < CHURN_FADE_DAYS)
      spend *= 0.5 + (0.5 * (plan.churnOn - day)) / CHURN_FADE_DAYS;
    return spend;
  }

  /** k distinct products of the account (a partial shuffle), so no invoice lists a product twice. */
  private someProducts(plan: AccountPlan, k: number): number[] {
    const pool = [...plan.products];
    for (let i = 0; i < k; i++) {
      const j = this.rng.int(i, pool.length - 1);
      const swap = pool[i] as number;
      pool[i] = pool[j] as number;
      pool[j] = swap;
    }
    return pool.slice(0, k);
  }

  private invoice(
    plan: AccountPlan,
    day: number,
    total: number,
    products: readonly number[],
    out: RevenueLine[],
  ) {
    // Plain loops and a reused weight array: this runs once per invoice, millions of times.
    const invoiceId = `INV-${String(++this.invoiceSeq).padStart(8, '0')}`;
    const bookedOn = this.days.iso(day);
    const accountId = plan.row.accountId;
    const currency = this.currencies.currencyOf(plan.row.country);
    const n = products.length;
    const weights = this.weights;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const w = (PRODUCT_PRICES[products[i] as number] as number) * (0.75 + 0.5 * this.rng.float());
      weights[i] = w;
      sum += w;
    }
    const totalCents = total * 100;
    const creditLine = this.rng.chance(CREDIT_NOTE_RATE) ? this.rng.int(0, n - 1) : -1;
    for (let i = 0; i < n; i++) {
      const usdCents = Math.max(1, Math.round((totalCents * (weights[i] as number)) / sum));
      const cents = this.currencies.localCents(usdCents, currency, this.monthIndexNow);
      const product = PRODUCT_NAMES[products[i] as number] as string;
      this.push({ accountId, invoiceId, bookedOn, amount: formatCents(cents), currency, product }, day, out);
      if (i === creditLine) this.scheduleCredit(accountId, day, cents, currency, product);
    }
  }

  private scheduleCredit(
    accountId: string,
    invoiceDay: number,
    lineCents: number,
    currency: string,
    product: string,
  ): void {
    const day = invoiceDay + this.rng.int(5, 60);
    const share = this.rng.chance(0.4) ? 1 : 0.1 + 0.4 * this.rng.float();
    if (day > this.input.window.lastDay) return;
    const cents = Math.max(1, Math.round(lineCents * share));
    const m = this.monthIndex(day);
    const list = this.pending.get(m) ?? [];
    list.push({ accountId, day, cents, currency, product });
    this.pending.set(m, list);
  }

  private pushCredit(credit: PendingCredit, out: RevenueLine[]): void {
    this.creditNotes++;
    const invoiceId = `CN-${String(++this.creditSeq).padStart(7, '0')}`;
    const line = {
      accountId: credit.accountId,
      invoiceId,
      bookedOn: this.days.iso(credit.day),
      amount: formatCents(-credit.cents),
      currency: credit.currency,
      product: credit.product,
    };
    this.push(line, credit.day, out);
  }

  private push(line: RevenueLine, day: number, out: RevenueLine[]): void {
    out.push(line);
    this.lines++;
    if (day < this.firstDay) this.firstDay = day;
    if (day > this.lastDay) this.lastDay = day;
    this.recent[this.recentCount++ % RECENT_LINES] = line;
  }

  /** The k-th most recent valid line (0 = the last one), if there is one. */
  private recentLine(k: number): RevenueLine | undefined {
    if (k >= Math.min(this.recentCount, RECENT_LINES)) return undefined;
    return this.recent[(this.recentCount - 1 - k) % RECENT_LINES];
  }

  private monthIndex(day: number): number {
    const first = this.input.window.months[0] as CalendarMonth;
    const { year, month } = partsOfDay(day);
    return year * 12 + month - (first.year * 12 + first.month);
  }

  /**
   * Appends one planted group; returns false (nothing written) when it needs valid lines to copy or to
   * borrow an account from and none were written yet, so that it moves to a later month.
   */
  private plant(
    reason: PlantedLineReason,
    count: number,
    month: CalendarMonth,
    out: RevenueLine[],
    force: boolean,
  ) {
    const needed = reason === 'duplicate_line' ? count : 1;
    if (Math.min(this.recentCount, RECENT_LINES) < needed && !force) return false;
    const rows: RevenueLine[] = [];
    if (reason === 'duplicate_line') {
      for (let j = 0; j < count; j++) {
        const source = this.recentLine(j);
        if (source) rows.push({ ...source });
      }
    } else {
      const { window, plans, asOfDay } = this.input;
      const day = Math.min(window.lastDay, Math.max(window.firstDay, month.firstDay + 14));
      const accountId = this.recentLine(0)?.accountId ?? plans[0]?.row.accountId ?? null;
      for (let j = 0; j < count; j++) {
        const row: RevenueLine = {
          accountId,
          invoiceId: `INV-9${String(++this.plantedSeq).padStart(7, '0')}`,
          bookedOn: this.days.iso(day),
          amount: formatCents(this.plantRng.int(5_000, 500_000)),
          currency: CURRENCY_OF_UNKNOWN_ACCOUNT,
          product: this.plantRng.pick(PRODUCTS).name,
        };
        switch (reason) {
          case 'missing_account_id':
            rows.push({ ...row, accountId: j % 2 === 0 ? null : '' });
            break;
          case 'missing_invoice_id':
            rows.push({ ...row, invoiceId: j % 2 === 0 ? null : '' });
            break;
          case 'unparsable_date':
            rows.push({ ...row, bookedOn: unparsableDates(month.year)[j % 3] as string });
            break;
          case 'unparsable_amount':
            rows.push({ ...row, amount: UNPARSABLE_AMOUNTS[j % UNPARSABLE_AMOUNTS.length] as string });
            break;
          case 'unknown_account': {
            // Two lines per unknown account, numbered past every real account.
            const unknown = String(plans.length + 901 + Math.floor(j / 2));
            rows.push({ ...row, accountId: `ACC-${unknown.padStart(this.accountIdWidth - 4, '0')}` });
            break;
          }
          case 'future_dated':
            // Over a year ahead, so the rows stay in the future for any run date within a year of asOf.
            rows.push({ ...row, bookedOn: isoOfDay(asOfDay + 366 + 29 * j) });
            break;
          case 'invalid_currency':
            rows.push({ ...row, currency: INVALID_CURRENCIES[j % INVALID_CURRENCIES.length] as string });
            break;
          case 'missing_fx_rate':
            // In the one month whose CHF rate fx_rates leaves out (see fxRateHoles)
            rows.push({ ...row, currency: PLANTED_FX_CURRENCY });
            break;
        }
      }
    }
    for (const row of rows) out.push(row);
    if (reason === 'missing_fx_rate' && rows.length > 0) {
      this.fxRateHoles.push(`${PLANTED_FX_CURRENCY} ${monthKey(month)}`);
    }
    this.lines += rows.length;
    this.plantedCounts[reason] += rows.length;
    return true;
  }
}
