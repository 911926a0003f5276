import { fromCents, toCents } from '../metrics/money.ts';
import type { FxRatesCheck } from './fx-rates.ts';

/** What happened to the lines of one currency and month that are not in the reporting currency. */
export type FxOutcome = 'converted' | 'missing_fx_rate' | 'invalid_currency';

/** One row of `sql/fx_conversion.sql`. */
export interface FxConversionRow {
  readonly outcome: FxOutcome;
  /** The ISO code; for `invalid_currency` the raw text as written. */
  readonly currency: string;
  /** Booking month `YYYY-MM`. */
  readonly month: string;
  readonly lines: number;
  /** Sum in the lines' own currency. */
  readonly originalAmount: number;
  /** Sum in the reporting currency; null when the lines could not be converted. */
  readonly amount: number | null;
}

/** Lines of one currency (and, for missing rates, one month) with their sums. */
export interface FxGroup {
  readonly currency: string;
  /** `YYYY-MM` for a missing rate; null for a currency's total over every month. */
  readonly month: string | null;
  readonly lines: number;
  readonly originalAmount: number;
  /** In the reporting currency; null when not converted. */
  readonly amount: number | null;
}

/** How a run's lines in other currencies were converted, and which could not be (issue 6). */
export interface FxSummary {
  readonly reportingCurrency: string;
  /** The rows of `sql/fx_conversion.sql` as read: per outcome, currency and month (the snapshot's table). */
  readonly rows: readonly FxConversionRow[];
  /** The fx_rates input as checked; undefined when the table is absent. */
  readonly rates?: FxRatesCheck;
  /** Valid lines converted, per currency, largest converted amount first. */
  readonly converted: readonly FxGroup[];
  /** Lines quarantined for want of a rate, per currency and month, in that order. */
  readonly missingRates: readonly FxGroup[];
  /** Lines quarantined for a currency that is not 3 letters A-Z, per raw currency. */
  readonly invalidCurrencies: readonly FxGroup[];
}

function addCents(a: number, b: number): number {
  return fromCents(toCents(a) + toCents(b));
}

/** Sums `sql/fx_conversion.sql` rows per currency (converted, invalid) or currency and month (missing rates). */
export function summarizeFx(
  rows: readonly FxConversionRow[],
  reportingCurrency: string,
  rates?: FxRatesCheck,
): FxSummary {
  const converted = new Map<string, FxGroup>();
  const invalid = new Map<string, FxGroup>();
  const missing: FxGroup[] = [];
  for (const row of rows) {
    if (row.outcome === 'missing_fx_rate') {
      missing.push({
        currency: row.currency,
        month: row.month,
        lines: row.lines,
        originalAmount: row.originalAmount,
        amount: null,
      });
      continue;
    }
    const groups = row.outcome === 'converted' ? converted : invalid;
    const before = groups.get(row.currency);
    groups.set(row.currency, {
      currency: row.currency,
      month: null,
      lines: (before?.lines ?? 0) + row.lines,
      originalAmount: addCents(before?.originalAmount ?? 0, row.originalAmount),
      amount: row.outcome === 'converted' ? addCents(before?.amount ?? 0, row.amount ?? 0) : null,
    });
  }
  missing.sort(
    (a, b) => a.currency.localeCompare(b.currency) || (a.month ?? '').localeCompare(b.month ?? ''),
  );
  return {
    reportingCurrency,
    rows,
    rates,
    converted: [...converted.values()].sort(
      (a, b) => (b.amount ?? 0) - (a.amount ?? 0) || a.currency.localeCompare(b.currency),
    ),
    missingRates: missing,
    invalidCurrencies: [...invalid.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

/** Lines quarantined because they could not be converted (missing rate or invalid currency). */
export function unconvertedLines(fx: FxSummary): number {
  return [...fx.missingRates, ...fx.invalidCurrencies].reduce((n, g) => n + g.lines, 0);
}
