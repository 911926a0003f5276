/** Shown wherever a value is undefined (null, NaN, infinite). */
export const MISSING = '—';

/** Number, money, percentage and date formatting for people, in one locale and currency. */
export interface ReportFormatter {
  /** Whole-unit money, e.g. `$1,234,567`. */
  money(value: number | null): string;
  /** Short money for headlines, e.g. `$1.2M`, `$240K`. */
  moneyCompact(value: number | null): string;
  /** Signed short money for deltas, e.g. `+$1.2M`, `-$12K`, `$0`. */
  moneyDelta(value: number | null): string;
  /** Signed whole-unit money, e.g. `+$1,250`. */
  moneyDeltaFull(value: number | null): string;
  /** A ratio as a percentage with one decimal, e.g. 0.034 -> `3.4%`. */
  percent(value: number | null): string;
  /** A signed ratio as a percentage, e.g. 0.034 -> `+3.4%`. */
  percentDelta(value: number | null): string;
  /** Difference of two ratios in percentage points, e.g. 0.81 - 0.776 -> `+3.4 pts`. */
  pointsDelta(current: number | null, previous: number | null): string;
  /** A count or measure, e.g. `12,345` or `3.4` with `digits` = 1. */
  number(value: number | null, digits?: number): string;
  /** Signed count, e.g. `+3`, `-1`, `0`. */
  countDelta(value: number | null): string;
  /** An ISO date (`2026-10-03`) as `Oct 3, 2026`. */
  date(iso: string | null): string;
  /** A point in time, in UTC, e.g. `Nov 2, 2026, 6:00 AM UTC`. */
  dateTime(at: Date): string;
}

function defined(value: number | null): value is number {
  return value !== null && Number.isFinite(value);
}

/** Builds the formatter for a BCP 47 locale and an ISO 4217 currency. */
export function createFormatter(locale: string, currency: string): ReportFormatter {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 });
  const moneySigned = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
    signDisplay: 'exceptZero',
  });
  const compact = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  });
  const compactSigned = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  const percent = new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const percentSigned = new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  const points = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  const countSigned = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, signDisplay: 'exceptZero' });
  const numbers = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number): Intl.NumberFormat => {
    let format = numbers.get(digits);
    if (!format) {
      format = new Intl.NumberFormat(locale, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      numbers.set(digits, format);
    }
    return format;
  };
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const moment = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });

  // Below 1,000 the compact notation would show cents (`$999.5`); whole units read better.
  const shortMoney = (value: number, signed: boolean): string =>
    Math.abs(value) < 1000
      ? (signed ? moneySigned : money).format(value)
      : (signed ? compactSigned : compact).format(value);

  return {
    money: (value) => (defined(value) ? money.format(value) : MISSING),
    moneyCompact: (value) => (defined(value) ? shortMoney(value, false) : MISSING),
    moneyDelta: (value) => (defined(value) ? shortMoney(value, true) : MISSING),
    moneyDeltaFull: (value) => (defined(value) ? moneySigned.format(value) : MISSING),
    percent: (value) => (defined(value) ? percent.format(value) : MISSING),
    percentDelta: (value) => (defined(value) ? percentSigned.format(value) : MISSING),
    pointsDelta: (current, previous) =>
      defined(current) && defined(previous) ? `${points.format((current - previous) * 100)} pts` : MISSING,
    number: (value, digits = 0) => (defined(value) ? numberFormat(digits).format(value) : MISSING),
    countDelta: (value) => (defined(value) ? countSigned.format(value) : MISSING),
    date: (iso) => {
      if (!iso) return MISSING;
      const at = new Date(`${iso}T00:00:00Z`);
      return Number.isNaN(at.getTime()) ? iso : day.format(at);
    },
    dateTime: (at) => `${moment.format(at)} UTC`,
  };
}
