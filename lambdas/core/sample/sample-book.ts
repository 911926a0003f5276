import type { AccountPlan, AccountRow, BookWindow, Owner } from './accounts.ts';
import { planAccounts } from './accounts.ts';
import { dayOf, isoOfDay, monthsBetween, parseIsoDay, partsOfDay } from './calendar.ts';
import { SampleCurrencies, type SampleFxRate } from './fx.ts';
import type { ResolvedSampleBookOptions, SampleBookOptions } from './options.ts';
import { accountCount, resolveSampleBookOptions } from './options.ts';
import { accountRowsWithProblems, noPlantedProblems, plantedGroupSizes } from './planted.ts';
import { RevenueLineStream } from './revenue-lines.ts';

/**
 * A planned sample book of business: the accounts are decided (they are few), the revenue lines are
 * streamed on demand by `revenueLines()`, and the same options always give the same book.
 */
export interface SampleBook {
  readonly options: ResolvedSampleBookOptions;
  readonly window: BookWindow;
  /** First and last possible booked_on of valid lines (ISO): `years` years back from asOf, and asOf - 1. */
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly owners: readonly Owner[];
  /** Distinct accounts (the accounts table may hold planted duplicate rows on top). */
  readonly accounts: number;
  /** Rows of the accounts table in file order, planted problems included. */
  readonly accountRows: readonly AccountRow[];
  /** How each distinct account buys over time (the optional-input generators follow it). */
  readonly plans: readonly AccountPlan[];
  /** Expected number of valid revenue lines (e.g. for progress); the stream's count differs by chance only. */
  readonly expectedLines: number;
  /** A fresh stream over the book's revenue lines; each call replays the same lines. */
  revenueLines(): RevenueLineStream;
  /**
   * The fx_rates table (every month of the window for EUR, GBP and CHF, to USD) without the rows of `holes`
   * (`RevenueLineStats.fxRateHoles`, the planted missing rates); empty for a single-currency book.
   */
  fxRates(holes: readonly string[]): SampleFxRate[];
}

/**
 * Plans a deterministic B2B book of business ending the day before `asOf`:
 * 1. validates the options (defaults: 20,000 lines, 3 years, seed 42, planted problems on);
 * 2. sizes it: one account per `linesPerAccount(years)` target lines, at least 50;
 * 3. draws accounts (heavy-tailed lognormal spend, growth, churn and reactivation, arrivals over time,
 *    billing pattern, products) and scales products per invoice to meet the target line count;
 * 4. picks the planted account problems (invalid owner emails, a duplicated account row);
 * 5. for a multi-currency book (the default), invoices DE, FR, NL, ES, IT and IE accounts in EUR and GB in GBP
 *    at monthly rates to USD (`fxRates()`), with planted invalid currencies and CHF lines without a rate.
 */
export function planSampleBook(options: SampleBookOptions): SampleBook {
  const resolved = resolveSampleBookOptions(options);
  const asOfDay = parseIsoDay(resolved.asOf) as number;
  const asOf = partsOfDay(asOfDay);
  // `years` calendar years back from asOf (Feb 29 rolls to Mar 1), up to the day before asOf.
  const firstDay = dayOf(asOf.year - resolved.years, asOf.month, asOf.day);
  const lastDay = asOfDay - 1;
  const window: BookWindow = { firstDay, lastDay, months: monthsBetween(firstDay, lastDay) };
  const planned = resolved.plantProblems ? plantedGroupSizes(resolved.lines) : noPlantedProblems();
  // a single-currency book has no currency to get wrong and no rate to miss
  const sizes = resolved.multiCurrency ? planned : { ...planned, invalid_currency: 0, missing_fx_rate: 0 };
  const count = accountCount(resolved.lines, resolved.years);
  const accounts = planAccounts(resolved.seed, count, resolved.owners, resolved.lines, window);
  const accountRows = accountRowsWithProblems(accounts.plans, sizes);
  return {
    options: resolved,
    window,
    windowStart: isoOfDay(window.firstDay),
    windowEnd: isoOfDay(window.lastDay),
    owners: accounts.owners,
    accounts: accounts.plans.length,
    accountRows,
    plans: accounts.plans,
    expectedLines: accounts.expectedLines,
    revenueLines: () =>
      new RevenueLineStream({
        seed: resolved.seed,
        plans: accounts.plans,
        window,
        asOfDay,
        planted: resolved.plantProblems ? sizes : null,
        multiCurrency: resolved.multiCurrency,
      }),
    fxRates: (holes) => new SampleCurrencies(window.months, resolved.multiCurrency).table(new Set(holes)),
  };
}
