import type { CalendarMonth } from './calendar.ts';
import { CSV_LINE_END, csvField } from './csv.ts';

/** The sample book's reporting currency: every amount is planned in it, and fx_rates convert to it. */
export const SAMPLE_REPORTING_CURRENCY = 'USD';

/** Currency an account is invoiced in, by its country; every other country is invoiced in USD. */
const INVOICE_CURRENCY_BY_COUNTRY: Readonly<Record<string, string>> = {
  DE: 'EUR',
  FR: 'EUR',
  NL: 'EUR',
  ES: 'EUR',
  IT: 'EUR',
  IE: 'EUR',
  GB: 'GBP',
};

/**
 * Currencies in fx_rates, with the mean rate to USD and a phase of its drift. CHF has rates but no account is
 * invoiced in it: the planted missing-rate lines are in CHF, in the one month whose CHF rate is left out.
 */
const FX_CURRENCIES = [
  { currency: 'EUR', mean: 1.08, phase: 0 },
  { currency: 'GBP', mean: 1.27, phase: 1.7 },
  { currency: 'CHF', mean: 1.12, phase: 3.1 },
] as const;

/** The currency of the planted lines whose rate is missing. */
export const PLANTED_FX_CURRENCY = 'CHF';

/** One row of the sample fx_rates table (DESIGN §3). */
export interface SampleFxRate {
  readonly currency: string;
  /** `YYYY-MM` */
  readonly month: string;
  /** Four decimals, e.g. `1.0834`. */
  readonly rateToReporting: string;
}

/** `YYYY-MM` of a calendar month. */
export function monthKey(month: Pick<CalendarMonth, 'year' | 'month'>): string {
  return `${month.year}-${String(month.month).padStart(2, '0')}`;
}

/**
 * The rate of a currency in a month: its mean times a slow and a fast cycle (about +-3.5% and +-1.2%), rounded
 * to four decimals; the same month always gives the same rate, so the book does not depend on a random stream.
 */
export function sampleFxRate(currency: string, year: number, month: number): number {
  const spec = FX_CURRENCIES.find((c) => c.currency === currency);
  if (!spec) return 1;
  const t = year * 12 + month - 1;
  const drift =
    1 +
    0.035 * Math.sin((2 * Math.PI * t) / 29 + spec.phase) +
    0.012 * Math.sin((2 * Math.PI * t) / 7 + 2 * spec.phase);
  return Math.round(spec.mean * drift * 10_000) / 10_000;
}

/**
 * Invoice currencies of a sample book and their monthly rates: which currency an account is invoiced in and
 * how a planned amount in USD cents becomes an amount in that currency. A single-currency book invoices every
 * account in USD.
 */
export class SampleCurrencies {
  private readonly rates = new Map<string, Float64Array>();

  constructor(
    private readonly months: readonly CalendarMonth[],
    private readonly multiCurrency: boolean,
  ) {
    for (const { currency } of FX_CURRENCIES) {
      this.rates.set(
        currency,
        Float64Array.from(months, (m) => sampleFxRate(currency, m.year, m.month)),
      );
    }
  }

  /** The currency an account in `country` is invoiced in. */
  currencyOf(country: string): string {
    return this.multiCurrency
      ? (INVOICE_CURRENCY_BY_COUNTRY[country] ?? SAMPLE_REPORTING_CURRENCY)
      : SAMPLE_REPORTING_CURRENCY;
  }

  /** A planned amount in USD cents as whole cents of `currency` in month `monthIndex` of the window (at least 1 for a positive amount). */
  localCents(usdCents: number, currency: string, monthIndex: number): number {
    const rate = this.rates.get(currency)?.[monthIndex];
    if (currency === SAMPLE_REPORTING_CURRENCY || rate === undefined) return usdCents;
    const local = Math.round(usdCents / rate);
    return usdCents > 0 ? Math.max(1, local) : local;
  }

  /**
   * The fx_rates table of the book: every currency for every month of the window, except the months in
   * `holes` (`CHF 2025-06`), whose rows are left out. Empty for a single-currency book.
   */
  table(holes: ReadonlySet<string> = new Set()): SampleFxRate[] {
    if (!this.multiCurrency) return [];
    const rows: SampleFxRate[] = [];
    for (const { currency } of FX_CURRENCIES) {
      const rates = this.rates.get(currency) as Float64Array;
      this.months.forEach((m, i) => {
        const month = monthKey(m);
        if (holes.has(`${currency} ${month}`)) return;
        rows.push({ currency, month, rateToReporting: (rates[i] as number).toFixed(4) });
      });
    }
    return rows;
  }
}

/** One fx_rates row as a CSV record, line end included. */
export function fxRateCsv(row: SampleFxRate): string {
  return `${csvField(row.currency)},${csvField(row.month)},${csvField(row.rateToReporting)}${CSV_LINE_END}`;
}
