import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lambdas/core/errors.ts';
import { QUARANTINE_REASONS } from '../../lambdas/core/quarantine.ts';
import type { SampleBookOptions } from '../../lambdas/core/sample/options.ts';
import { accountCount } from '../../lambdas/core/sample/options.ts';
import type { RevenueLine } from '../../lambdas/core/sample/revenue-lines.ts';
import { formatCents } from '../../lambdas/core/sample/revenue-lines.ts';
import { planSampleBook } from '../../lambdas/core/sample/sample-book.ts';
import {
  classifyLines,
  fxRateKeys,
  isAmount,
  isIsoDate,
  isValidEmail,
  LINE_REASONS,
} from './sample-book-helpers.ts';

const AS_OF = '2025-11-25';

function generate(options: Partial<SampleBookOptions> = {}) {
  const book = planSampleBook({ asOf: AS_OF, ...options });
  const stream = book.revenueLines();
  const lines: RevenueLine[] = [];
  for (const batch of stream.batches(5_000)) lines.push(...batch);
  const stats = stream.stats;
  return { book, lines, stats, fxRates: fxRateKeys(book.fxRates(stats.fxRateHoles)) };
}

/** The currencies valid lines are invoiced in (planted lines use others: CHF without a rate, invalid codes). */
const INVOICE_CURRENCIES = new Set(['USD', 'EUR', 'GBP']);

function isoDaysBefore(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** Valid lines only (drops planted problems; first copies of duplicates stay). */
function validLines(
  lines: readonly RevenueLine[],
  accounts: readonly { accountId: string }[],
): RevenueLine[] {
  const known = new Set(accounts.map((a) => a.accountId));
  const seen = new Set<string>();
  return lines.filter((l) => {
    const key = JSON.stringify(l);
    const first = !seen.has(key);
    seen.add(key);
    return (
      first &&
      !!l.accountId &&
      !!l.invoiceId &&
      isIsoDate(l.bookedOn) &&
      isAmount(l.amount) &&
      INVOICE_CURRENCIES.has(l.currency) &&
      l.bookedOn < AS_OF &&
      known.has(l.accountId)
    );
  });
}

function sumBy(lines: readonly RevenueLine[], key: (l: RevenueLine) => string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const l of lines) sums.set(key(l), (sums.get(key(l)) ?? 0) + Number(l.amount));
  return sums;
}

const mid = generate({ lines: 40_000 });
const midValid = validLines(mid.lines, mid.book.accountRows);
const t12Start = isoDaysBefore(AS_OF, 365);
const priorStart = isoDaysBefore(AS_OF, 730);
const t12m = sumBy(
  midValid.filter((l) => l.bookedOn >= t12Start),
  (l) => l.accountId as string,
);
const priorT12m = sumBy(
  midValid.filter((l) => l.bookedOn >= priorStart && l.bookedOn < t12Start),
  (l) => l.accountId as string,
);

describe('sample book options', () => {
  it('fills in the documented defaults', () => {
    expect(planSampleBook({ asOf: AS_OF }).options).toEqual({
      asOf: AS_OF,
      lines: 20_000,
      years: 3,
      seed: 42,
      plantProblems: true,
      owners: 20,
      multiCurrency: true,
    });
  });

  it('reports every invalid option at once, by name', () => {
    const attempt = () => planSampleBook({ asOf: '2025-02-30', lines: 0, years: 0 });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['asOf', 'lines', 'years']) expect(message).toContain(`${name}:`);
    }
  });

  it.each([
    // [lines, years, accounts]: one account per max(60, min(250, 25 * years)) lines, at least 50
    [300, 3, 50],
    [20_000, 3, 267],
    [1_000_000, 3, 13_333],
    [10_000_000, 3, 133_333],
    [20_000, 1, 333],
    [20_000, 10, 80],
  ])('sizes %d lines over %d years with %d accounts', (lines, years, accounts) => {
    expect(accountCount(lines, years)).toBe(accounts);
  });

  it.each([
    [123_456, '1234.56'],
    [100, '1.00'],
    [7, '0.07'],
    [0, '0.00'],
    [-5, '-0.05'],
    [-123_400, '-1234.00'],
  ])('formats %d cents as %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });
});

describe('determinism', () => {
  it('gives the same accounts and lines for the same seed, and replays a stream', () => {
    const again = generate({ lines: 40_000 });
    expect(again.book.accountRows).toEqual(mid.book.accountRows);
    expect(again.lines).toEqual(mid.lines);
    expect([...mid.book.revenueLines().batches(7_000)].flat()).toEqual(mid.lines);
  });

  it('gives a different book for a different seed', () => {
    const other = generate({ lines: 40_000, seed: 43 });
    expect(other.book.accountRows.map((r) => r.accountName)).not.toEqual(
      mid.book.accountRows.map((r) => r.accountName),
    );
    expect(other.lines.slice(0, 100)).not.toEqual(mid.lines.slice(0, 100));
  });

  it('does not change the valid lines when problems are planted', () => {
    const clean = generate({ lines: 40_000, plantProblems: false });
    expect(validLines(mid.lines, mid.book.accountRows)).toEqual(clean.lines);
    expect(mid.book.accountRows.slice(0, mid.book.accounts).map((r) => r.accountId)).toEqual(
      clean.book.accountRows.map((r) => r.accountId),
    );
  });
});

describe('a mid-size book', () => {
  it('has about the target number of lines and accounts', () => {
    expect(mid.book.accounts).toBe(533);
    expect(mid.stats.lines).toBeGreaterThan(38_000);
    expect(mid.stats.lines).toBeLessThan(42_000);
    expect(mid.lines).toHaveLength(mid.stats.lines);
  });

  it('dates valid lines from `years` years before asOf to the day before asOf', () => {
    expect(mid.book.windowStart).toBe('2022-11-25');
    expect(mid.book.windowEnd).toBe('2025-11-24');
    const dates = midValid.map((l) => l.bookedOn).sort();
    expect(dates[0]).toBe(mid.stats.firstDate);
    expect(dates.at(-1)).toBe(mid.stats.lastDate);
    expect(mid.stats.firstDate >= '2022-11-25').toBe(true);
    expect(mid.stats.lastDate <= '2025-11-24').toBe(true);
    expect(midValid.every((l) => INVOICE_CURRENCIES.has(l.currency) && /^-?\d+\.\d{2}$/.test(l.amount))).toBe(
      true,
    );
  });

  it('is heavy-tailed: the top 10% of accounts carry over half of T12M revenue', () => {
    const revenue = [...t12m.values()].filter((v) => v > 0).sort((a, b) => b - a);
    const total = revenue.reduce((a, b) => a + b, 0);
    const top = revenue.slice(0, Math.ceil(revenue.length / 10)).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.5);
    const high = revenue.filter((v) => v > 100_000).length / revenue.length;
    const medium = revenue.filter((v) => v >= 10_000 && v <= 100_000).length / revenue.length;
    expect(high).toBeGreaterThan(0.01);
    expect(high).toBeLessThan(0.08);
    expect(medium).toBeGreaterThan(0.15);
    expect(medium).toBeLessThan(0.35);
  });

  it('has credit notes: negative lines on CN- documents for a product the account bought before', () => {
    const credits = midValid.filter((l) => Number(l.amount) < 0);
    expect(credits.length).toBeGreaterThan(20);
    expect(credits.every((l) => l.invoiceId?.startsWith('CN-'))).toBe(true);
    expect(midValid.filter((l) => l.invoiceId?.startsWith('INV-')).every((l) => Number(l.amount) > 0)).toBe(
      true,
    );
    const firstBought = new Map<string, string>();
    for (const l of midValid) {
      const key = `${l.accountId}|${l.product}`;
      if (Number(l.amount) > 0 && (firstBought.get(key) ?? '9999') > l.bookedOn)
        firstBought.set(key, l.bookedOn);
    }
    for (const c of credits)
      expect((firstBought.get(`${c.accountId}|${c.product}`) ?? '9999') < c.bookedOn).toBe(true);
  });

  it('has invoices with several lines, one account and date each, no product twice', () => {
    const invoices = new Map<string, RevenueLine[]>();
    for (const l of midValid)
      invoices.set(l.invoiceId as string, [...(invoices.get(l.invoiceId as string) ?? []), l]);
    const multi = [...invoices.values()].filter((ls) => ls.length > 1);
    expect(multi.length / invoices.size).toBeGreaterThan(0.3);
    for (const ls of invoices.values()) {
      expect(new Set(ls.map((l) => `${l.accountId}|${l.bookedOn}`)).size).toBe(1);
      expect(new Set(ls.map((l) => l.product)).size).toBe(ls.length);
    }
  });

  it('shows seasonality: Q4 months bring more invoices and revenue than July and August', () => {
    // A larger book, so that a few large annual renewals cannot make or break the pattern.
    const large = generate({ lines: 200_000, plantProblems: false });
    const revenue = sumBy(large.lines, (l) => l.bookedOn.slice(0, 7));
    const invoices = new Map<string, Set<string>>();
    for (const l of large.lines) {
      const month = l.bookedOn.slice(0, 7);
      invoices.set(month, (invoices.get(month) ?? new Set()).add(l.invoiceId as string));
    }
    const q4 = ['2023-10', '2023-11', '2023-12', '2024-10', '2024-11', '2024-12'];
    const summer = ['2023-07', '2023-08', '2024-07', '2024-08'];
    const ratio = (value: (month: string) => number) =>
      q4.reduce((a, m) => a + value(m), 0) /
      q4.length /
      (summer.reduce((a, m) => a + value(m), 0) / summer.length);
    // With a flat season these ratios come out near 1.05 (invoices) and 1.0-1.4 (revenue, from growth).
    expect(ratio((m) => invoices.get(m)?.size ?? 0)).toBeGreaterThan(1.15);
    expect(ratio((m) => revenue.get(m) ?? 0)).toBeGreaterThan(1.45);
  });

  it('has new, churned, reactivated, growing, shrinking and never-buying accounts', () => {
    const dates = new Map<string, string[]>();
    for (const l of midValid)
      dates.set(l.accountId as string, [...(dates.get(l.accountId as string) ?? []), l.bookedOn]);
    const rows = mid.book.accountRows;
    const arrived = rows.filter((r) => r.createdOn >= mid.book.windowStart && dates.has(r.accountId));
    const churned = [...priorT12m.keys()].filter((a) => (priorT12m.get(a) ?? 0) > 0 && !t12m.has(a));
    const reactivated = [...dates.values()].filter((ds) =>
      ds.sort().some((d, i) => i > 0 && Date.parse(d) - Date.parse(ds[i - 1] as string) > 400 * 86_400_000),
    );
    const both = [...t12m.keys()].filter((a) => (priorT12m.get(a) ?? 0) > 0);
    const growth = both.map((a) => (t12m.get(a) as number) / (priorT12m.get(a) as number) - 1);
    expect(arrived.length / mid.book.accounts).toBeGreaterThan(0.2);
    expect(churned.length).toBeGreaterThan(10);
    expect(reactivated.length).toBeGreaterThan(3);
    expect(growth.filter((g) => g > 0.2).length).toBeGreaterThan(20);
    expect(growth.filter((g) => g < -0.2).length).toBeGreaterThan(20);
    expect(rows.filter((r) => !dates.has(r.accountId)).length).toBeGreaterThan(0);
  });

  it('bills monthly, quarterly, annually and ad hoc', () => {
    const months2024 = new Map<string, Set<string>>();
    for (const l of midValid) {
      if (!l.bookedOn.startsWith('2024-') || !l.invoiceId?.startsWith('INV-')) continue;
      const set = months2024.get(l.accountId as string) ?? new Set<string>();
      set.add(l.bookedOn.slice(5, 7));
      months2024.set(l.accountId as string, set);
    }
    const invoiceDays = new Map<string, Set<string>>();
    for (const l of midValid.filter(
      (x) => x.bookedOn.startsWith('2024-') && x.invoiceId?.startsWith('INV-'),
    )) {
      const set = invoiceDays.get(l.accountId as string) ?? new Set<string>();
      set.add(l.bookedOn.slice(8));
      invoiceDays.set(l.accountId as string, set);
    }
    const sameDay = (a: string) => invoiceDays.get(a)?.size === 1;
    const buyers = [...months2024.keys()];
    const monthly = buyers.filter((a) => months2024.get(a)?.size === 12 && sameDay(a));
    const quarterly = buyers.filter((a) => months2024.get(a)?.size === 4 && sameDay(a));
    const annual = buyers.filter((a) => months2024.get(a)?.size === 1);
    const irregular = buyers.filter((a) => !sameDay(a));
    for (const group of [monthly, quarterly, annual, irregular])
      expect(group.length / buyers.length).toBeGreaterThan(0.05);
  });

  it('has firmographics that follow spend, about 20 owners and names that need CSV quoting', () => {
    const rows = mid.book.accountRows.slice(0, mid.book.accounts);
    const pairs = rows
      .filter((r) => r.employeeCount !== null && (t12m.get(r.accountId) ?? 0) > 0)
      .map((r) => [r.employeeCount as number, t12m.get(r.accountId) as number] as const);
    const rank = (values: number[]) => {
      const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
      const ranks = new Array<number>(values.length);
      order.forEach(([, i], r) => {
        ranks[i] = r;
      });
      return ranks;
    };
    const x = rank(pairs.map((p) => p[0]));
    const y = rank(pairs.map((p) => p[1]));
    const n = pairs.length;
    const d2 = x.reduce((a, xi, i) => a + (xi - (y[i] as number)) ** 2, 0);
    const spearman = 1 - (6 * d2) / (n * (n * n - 1));
    expect(spearman).toBeGreaterThan(0.4);

    const owners = new Map<string, Set<string>>();
    for (const r of rows.filter((row) => isValidEmail(row.ownerEmail))) {
      owners.set(r.ownerEmail, (owners.get(r.ownerEmail) ?? new Set()).add(r.ownerName));
    }
    expect(owners.size).toBe(20);
    for (const [email, names] of owners) {
      expect(email).toMatch(/^[a-z]+(\.[a-z]+)+@example\.com$/);
      expect(names.size).toBe(1);
    }
    expect(rows.some((r) => r.accountName.includes(','))).toBe(true);
    expect(rows.some((r) => r.accountName.includes('"'))).toBe(true);
    expect(new Set(rows.map((r) => r.country)).size).toBeGreaterThan(8);
    expect(new Set(rows.map((r) => r.industry)).size).toBeGreaterThan(8);
  });
});

describe('planted problems', () => {
  const accountIds = (rows: readonly { accountId: string }[]) => new Set(rows.map((r) => r.accountId));

  it.each([
    ['mid-size', mid],
    ['tiny', generate({ lines: 300 })],
  ])('in a %s book, are exactly what an independent check finds', (_name, sample) => {
    const { counts } = classifyLines(
      sample.lines,
      accountIds(sample.book.accountRows),
      AS_OF,
      sample.fxRates,
    );
    for (const reason of LINE_REASONS)
      expect([reason, counts[reason]]).toEqual([reason, sample.stats.planted[reason]]);
    const rows = sample.book.accountRows;
    expect(rows.filter((r) => !isValidEmail(r.ownerEmail)).length).toBe(
      sample.stats.planted.invalid_owner_email,
    );
    const seen = new Map<string, unknown>();
    let duplicates = 0;
    for (const r of rows) {
      if (seen.has(r.accountId)) {
        duplicates++;
        expect(r).toEqual(seen.get(r.accountId));
      }
      seen.set(r.accountId, r);
    }
    expect(duplicates).toBe(sample.stats.planted.duplicate_account);
    expect(Object.keys(sample.stats.planted).sort()).toEqual(Object.keys(QUARANTINE_REASONS).sort());
  });

  it('plants one small group per class: a few rows in a mid-size book, one in a tiny book', () => {
    expect(mid.stats.planted).toEqual({
      missing_account_id: 3,
      missing_invoice_id: 2,
      unparsable_date: 3,
      unparsable_amount: 3,
      unknown_account: 4,
      duplicate_line: 3,
      future_dated: 4,
      invalid_currency: 2,
      missing_fx_rate: 3,
      invalid_owner_email: 2,
      duplicate_account: 1,
    });
    const tiny = generate({ lines: 300 });
    expect(Object.values(tiny.stats.planted).every((n) => n === 1)).toBe(true);
  });

  it('dates future lines over a year after asOf, and keeps null apart from empty ids', () => {
    const future = mid.lines.filter((l) => isIsoDate(l.bookedOn) && l.bookedOn >= AS_OF);
    expect(future).toHaveLength(4);
    for (const l of future) expect(l.bookedOn > '2026-11-25').toBe(true);
    const missing = mid.lines.filter((l) => !l.accountId);
    expect(missing.map((l) => l.accountId)).toEqual([null, '', null]);
  });

  it('plants nothing when switched off', () => {
    const clean = generate({ lines: 40_000, plantProblems: false });
    const { counts, valid } = classifyLines(
      clean.lines,
      accountIds(clean.book.accountRows),
      AS_OF,
      clean.fxRates,
    );
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    expect(valid).toBe(clean.lines.length);
    expect(Object.values(clean.stats.planted).every((n) => n === 0)).toBe(true);
    expect(clean.book.accountRows.every((r) => isValidEmail(r.ownerEmail))).toBe(true);
    expect(accountIds(clean.book.accountRows).size).toBe(clean.book.accountRows.length);
  });
});

describe('a tiny book', () => {
  it('has at least 50 accounts, a few hundred lines and under 5% planted rows', () => {
    const tiny = generate({ lines: 300 });
    expect(tiny.book.accounts).toBe(50);
    expect(tiny.stats.lines).toBeGreaterThan(200);
    expect(tiny.stats.lines).toBeLessThan(400);
    const plantedLines = LINE_REASONS.reduce((a, r) => a + tiny.stats.planted[r], 0);
    expect(plantedLines / tiny.stats.lines).toBeLessThan(0.05);
  });
});

describe('a multi-currency book', () => {
  const countryOf = new Map(mid.book.accountRows.map((r) => [r.accountId, r.country]));
  const euro = new Set(['DE', 'FR', 'NL', 'ES', 'IT', 'IE']);

  it('invoices DE, FR, NL, ES, IT and IE in EUR, GB in GBP and everyone else in USD', () => {
    for (const l of midValid) {
      const country = countryOf.get(l.accountId as string) ?? '';
      const expected = euro.has(country) ? 'EUR' : country === 'GB' ? 'GBP' : 'USD';
      expect([l.accountId, country, l.currency]).toEqual([l.accountId, country, expected]);
    }
    expect(new Set(midValid.map((l) => l.currency))).toEqual(new Set(['USD', 'EUR', 'GBP']));
  });

  it('has a rate for EUR, GBP and CHF in every month of the window but the planted hole', () => {
    const rates = mid.book.fxRates(mid.stats.fxRateHoles);
    // 2022-11 .. 2025-11 = 37 months, 3 currencies, one CHF month left out
    expect(rates).toHaveLength(3 * 37 - 1);
    expect(mid.stats.fxRateHoles).toHaveLength(1);
    const [currency, month] = (mid.stats.fxRateHoles[0] ?? '').split(' ');
    expect(currency).toBe('CHF');
    expect(rates.some((r) => r.currency === 'CHF' && r.month === month)).toBe(false);
    const planted = mid.lines.filter((l) => l.currency === 'CHF');
    expect(planted).toHaveLength(mid.stats.planted.missing_fx_rate);
    expect(planted.every((l) => l.bookedOn.slice(0, 7) === month)).toBe(true);
    for (const r of rates) expect(r.rateToReporting).toMatch(/^\d\.\d{4}$/);
    // a realistic drift: each currency stays within 6% of its mean and moves less than 3% a month
    for (const [code, mean] of [
      ['EUR', 1.08],
      ['GBP', 1.27],
      ['CHF', 1.12],
    ] as const) {
      const series = rates.filter((r) => r.currency === code).map((r) => Number(r.rateToReporting));
      expect(series.every((v) => Math.abs(v / mean - 1) < 0.06)).toBe(true);
      expect(series.slice(1).every((v, i) => Math.abs(v / (series[i] as number) - 1) < 0.03)).toBe(true);
    }
  });

  it('writes each line in its own currency at the month rate: converted back it is the USD line of a single-currency book', () => {
    const single = generate({ lines: 40_000, multiCurrency: false });
    const usd = validLines(single.lines, single.book.accountRows);
    expect(single.book.fxRates(single.stats.fxRateHoles)).toEqual([]);
    expect(single.lines.every((l) => l.currency === 'USD')).toBe(true);
    expect(usd).toHaveLength(midValid.length);
    const rate = new Map(
      mid.book.fxRates([]).map((r) => [`${r.currency} ${r.month}`, Number(r.rateToReporting)]),
    );
    let converted = 0;
    midValid.forEach((l, i) => {
      const twin = usd[i] as RevenueLine;
      expect([l.invoiceId, l.bookedOn, l.product]).toEqual([twin.invoiceId, twin.bookedOn, twin.product]);
      if (l.currency === 'USD') {
        expect(l.amount).toBe(twin.amount);
        return;
      }
      converted++;
      const back = Number(l.amount) * (rate.get(`${l.currency} ${l.bookedOn.slice(0, 7)}`) as number);
      if (l.invoiceId?.startsWith('CN-')) {
        // a credit note is a share of its invoice line in that line's currency, so it converts at the rate of
        // the invoice's month: within the rates' month-to-month drift of the USD twin
        expect(Math.abs(back - Number(twin.amount))).toBeLessThanOrEqual(
          0.06 * Math.abs(Number(twin.amount)) + 0.02,
        );
        return;
      }
      // local = round(usd / rate): converting back lands within half a local cent times the rate
      expect(Math.abs(back - Number(twin.amount))).toBeLessThanOrEqual(0.005 * 1.4 + 1e-9);
    });
    expect(converted).toBeGreaterThan(midValid.length / 5);
  });
});
