import { describe, expect, it } from 'vitest';
import { InputContractError, RevsegError } from '../../lambdas/core/errors.ts';
import { isCurrencyCode, isKnownCurrency, reportingCurrencyParam } from '../../lambdas/core/fx/currency.ts';
import { assertFxRatesTrusted, checkFxRates, type FxRateRow } from '../../lambdas/core/fx/fx-rates.ts';

const row = (overrides: Partial<FxRateRow>): FxRateRow => ({
  currency: 'EUR',
  month: '2026-03',
  rateToReporting: '1.08',
  currencyCode: 'EUR',
  monthKey: '2026-03',
  rate: 1.08,
  problem: null,
  ...overrides,
});

describe('currency codes', () => {
  it.each([
    ['EUR', true],
    ['XYZ', true],
    ['eur', false],
    ['EURO', false],
    ['E1R', false],
    ['€', false],
    ['', false],
  ])('%s has the shape of an ISO 4217 code: %s', (code, expected) => {
    expect(isCurrencyCode(code)).toBe(expected);
  });

  it('knows real ISO 4217 currencies and not made-up ones', () => {
    expect(isKnownCurrency('CHF')).toBe(true);
    expect(isKnownCurrency('XYZ')).toBe(false);
  });

  it('binds only a valid reporting currency', () => {
    expect(reportingCurrencyParam('GBP')).toBe('GBP');
    expect(() => reportingCurrencyParam('usd')).toThrow(RevsegError);
    expect(() => reportingCurrencyParam("USD' OR 1=1")).toThrow(/is not an ISO 4217 code/);
  });
});

describe('checkFxRates', () => {
  it('lists the valid currencies (not the reporting one) and the months they cover', () => {
    const check = checkFxRates(
      [
        row({}),
        row({ month: '2025-12', monthKey: '2025-12' }),
        row({ currency: 'gbp', currencyCode: 'GBP', monthKey: '2026-04', month: '2026-04' }),
        row({ currency: 'USD', currencyCode: 'USD', rate: 1, rateToReporting: '1' }),
      ],
      'USD',
      'fx_rates (/data/fx_rates.csv)',
    );
    expect(check).toEqual({
      source: 'fx_rates (/data/fx_rates.csv)',
      rows: 4,
      currencies: ['EUR', 'GBP'],
      firstMonth: '2025-12',
      lastMonth: '2026-04',
      rejected: [],
    });
    expect(() => assertFxRatesTrusted(check)).not.toThrow();
  });

  it('has no currencies or months for an empty table', () => {
    expect(checkFxRates([], 'USD', 'fx_rates')).toEqual({
      source: 'fx_rates',
      rows: 0,
      currencies: [],
      firstMonth: null,
      lastMonth: null,
      rejected: [],
    });
  });

  it.each([
    [
      row({ month: '2026-13', monthKey: null, problem: 'invalid_month' }),
      "fx_rates row (currency 'EUR', month '2026-13', rate_to_reporting '1.08'): month is not a month YYYY-MM; write the month as YYYY-MM, e.g. 2026-03",
    ],
    [
      row({ currency: 'EURO', currencyCode: 'EURO', problem: 'invalid_currency' }),
      "fx_rates row (currency 'EURO', month '2026-03', rate_to_reporting '1.08'): currency is not a 3-letter ISO 4217 code; use a code such as EUR",
    ],
    [
      row({ rateToReporting: 'abc', rate: null, problem: 'invalid_rate' }),
      "fx_rates row (currency 'EUR', month '2026-03', rate_to_reporting 'abc'): rate_to_reporting is not a number above 0; give how many USD one unit is worth, e.g. 1.0834",
    ],
    [
      row({
        currency: 'USD',
        currencyCode: 'USD',
        rateToReporting: '1.01',
        rate: 1.01,
        problem: 'reporting_currency_rate',
      }),
      "fx_rates row (currency 'USD', month '2026-03', rate_to_reporting '1.01'): a row for the reporting currency must have rate 1; remove the row or set its rate to 1 (USD is the reporting currency)",
    ],
    [
      row({ problem: 'conflicting_rate' }),
      "fx_rates row (currency 'EUR', month '2026-03', rate_to_reporting '1.08'): the same currency and month appear with different rates; keep one rate per currency and month",
    ],
    [
      row({ currency: null, currencyCode: null, problem: 'invalid_currency' }),
      "fx_rates row (currency empty, month '2026-03', rate_to_reporting '1.08'): currency is not a 3-letter ISO 4217 code; use a code such as EUR",
    ],
  ])('rejects a row with a message naming its values and what to do (%#)', (bad, message) => {
    const check = checkFxRates([row({}), bad], 'USD', 'fx_rates (/data/fx_rates.csv)');
    expect(check.rejected.map((r) => r.message)).toEqual([message]);
    expect(check.currencies).toEqual(['EUR']);
    expect(() => assertFxRatesTrusted(check)).toThrow(InputContractError);
    expect(() => assertFxRatesTrusted(check)).toThrow(
      `fx_rates (/data/fx_rates.csv) has 1 of 2 rows that cannot be used, so no amount can be converted with it; nothing was written or sent. Fix these rows:\n  - ${message}`,
    );
  });

  it('names the first ten rejected rows and counts the rest', () => {
    const rows = Array.from({ length: 12 }, (_, i) =>
      row({ month: `2026-${13 + i}`, monthKey: null, problem: 'invalid_month' }),
    );
    try {
      assertFxRatesTrusted(checkFxRates(rows, 'USD', 'fx_rates'));
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('has 12 of 12 rows');
      expect(message.match(/\n {2}- fx_rates row/g)).toHaveLength(10);
      expect(message).toMatch(/month '2026-22'.*\n {2}- and 2 more$/);
    }
  });
});
