import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { type FxConversionRow, summarizeFx, unconvertedLines } from '../../lambdas/core/fx/fx-conversion.ts';
import { checkFxRates } from '../../lambdas/core/fx/fx-rates.ts';
import { currencyNoteBlocks, fxBlocks } from '../../lambdas/core/fx/fx-section.ts';
import type { ReportBlock } from '../../lambdas/core/report/document.ts';
import { createFormatter } from '../../lambdas/core/report/format.ts';
import type { ReportContext } from '../../lambdas/core/report/report-context.ts';

// The rows sql/fx_conversion.sql returns for test/fixtures/sql/fx (see its README), worked by hand there.
const ROWS: FxConversionRow[] = [
  { outcome: 'converted', currency: 'EUR', month: '2026-08', lines: 1, originalAmount: 10, amount: 12 },
  {
    outcome: 'converted',
    currency: 'EUR',
    month: '2026-09',
    lines: 1,
    originalAmount: 200.01,
    amount: 220.01,
  },
  { outcome: 'converted', currency: 'EUR', month: '2026-10', lines: 1, originalAmount: 100, amount: 105 },
  {
    outcome: 'converted',
    currency: 'GBP',
    month: '2026-10',
    lines: 4,
    originalAmount: 84.02,
    amount: 105.03,
  },
  {
    outcome: 'invalid_currency',
    currency: 'E1R',
    month: '2026-10',
    lines: 1,
    originalAmount: 1,
    amount: null,
  },
  {
    outcome: 'invalid_currency',
    currency: 'GB£',
    month: '2026-10',
    lines: 1,
    originalAmount: 10,
    amount: null,
  },
  {
    outcome: 'missing_fx_rate',
    currency: 'EUR',
    month: '2026-07',
    lines: 2,
    originalAmount: 75.5,
    amount: null,
  },
  {
    outcome: 'missing_fx_rate',
    currency: 'CHF',
    month: '2026-10',
    lines: 1,
    originalAmount: 7,
    amount: null,
  },
];

const rates = checkFxRates([], 'USD', 'fx_rates (/data/fx_rates.csv)');

describe('summarizeFx', () => {
  it('sums converted lines per currency and keeps missing rates per currency and month', () => {
    const fx = summarizeFx(ROWS, 'USD', rates);
    expect(fx.converted).toEqual([
      // EUR: 10 + 200.01 + 100 = 310.01 EUR, 12 + 220.01 + 105 = 337.01 USD
      { currency: 'EUR', month: null, lines: 3, originalAmount: 310.01, amount: 337.01 },
      { currency: 'GBP', month: null, lines: 4, originalAmount: 84.02, amount: 105.03 },
    ]);
    expect(fx.missingRates).toEqual([
      { currency: 'CHF', month: '2026-10', lines: 1, originalAmount: 7, amount: null },
      { currency: 'EUR', month: '2026-07', lines: 2, originalAmount: 75.5, amount: null },
    ]);
    expect(fx.invalidCurrencies.map((g) => [g.currency, g.lines, g.originalAmount])).toEqual([
      ['E1R', 1, 1],
      ['GB£', 1, 10],
    ]);
    expect(unconvertedLines(fx)).toBe(5);
    expect(fx.rates).toBe(rates);
  });

  it('adds cents exactly: 0.1 + 0.2 EUR is 0.30', () => {
    const fx = summarizeFx(
      [
        {
          outcome: 'converted',
          currency: 'EUR',
          month: '2026-01',
          lines: 1,
          originalAmount: 0.1,
          amount: 0.11,
        },
        {
          outcome: 'converted',
          currency: 'EUR',
          month: '2026-02',
          lines: 1,
          originalAmount: 0.2,
          amount: 0.22,
        },
      ],
      'USD',
    );
    expect(fx.converted[0]?.originalAmount).toBe(0.3);
    expect(fx.converted[0]?.amount).toBe(0.33);
  });
});

function text(blocks: readonly ReportBlock[]): string {
  return blocks
    .map((b) =>
      b.kind === 'table' ? b.rows.map((r) => r.join(' | ')).join('\n') : 'text' in b ? b.text : b.kind,
    )
    .join('\n')
    .replaceAll('\u00a0', ' ');
}

function context(fx: ReportContext['fx']): ReportContext {
  return { config: parseRunConfig({}), fx } as unknown as ReportContext;
}

describe('fx report sections', () => {
  const fmt = createFormatter('en-US', 'USD');

  it('shows what was converted and the revenue a missing rate kept out, in its own currency', () => {
    const shown = text(fxBlocks(context(summarizeFx(ROWS, 'USD', rates)), fmt));
    expect(shown).toContain('Currency conversion to USD');
    expect(shown).toContain('Rates: fx_rates (/data/fx_rates.csv), 0 rows.');
    expect(shown).toContain('EUR | 3 | EUR 310.01 | $337 | 1.0871');
    expect(shown).toContain('GBP | 4 | GBP 84.02 | $105 | 1.2501');
    expect(shown).toContain('Revenue affected by missing FX rates');
    expect(shown).toContain('EUR | 2026-07 | 2 | EUR 75.50 | add EUR,2026-07,<rate to USD> to fx_rates');
    expect(shown).toContain('CHF | 2026-10 | 1 | CHF 7.00 | add CHF,2026-10,<rate to USD> to fx_rates');
    expect(shown).toContain("'GB£' | 1 | 10.00");
  });

  it('says a missing rate of a made-up currency is a wrong currency, not a missing row', () => {
    const fx = summarizeFx(
      [
        {
          outcome: 'missing_fx_rate',
          currency: 'XYZ',
          month: '2026-10',
          lines: 1,
          originalAmount: 5,
          amount: null,
        },
      ],
      'USD',
      rates,
    );
    expect(text(fxBlocks(context(fx), fmt))).toContain(
      "XYZ | 2026-10 | 1 | XYZ 5.00 | XYZ is not an ISO 4217 currency: correct the lines' currency",
    );
  });

  it('says the rates are not available when lines need them and no fx_rates was given', () => {
    const fx = summarizeFx(ROWS.slice(6), 'USD');
    const shown = text(fxBlocks(context(fx), fmt));
    expect(shown).toContain('No fx_rates input was given.');
    expect(shown).toContain('Revenue affected by missing FX rates: not available: needs fx_rates.');
  });

  it('adds nothing for a book whose lines are all in the reporting currency', () => {
    expect(fxBlocks(context(summarizeFx([], 'USD')), fmt)).toEqual([]);
    expect(fxBlocks(context(undefined), fmt)).toEqual([]);
  });

  it('states the reporting currency under the headline, and what was converted or left out', () => {
    expect(text(currencyNoteBlocks(context(summarizeFx([], 'USD')), fmt))).toBe(
      'All amounts are in USD, the reporting currency.',
    );
    expect(text(currencyNoteBlocks(context(summarizeFx(ROWS, 'USD', rates)), fmt))).toBe(
      'All amounts are in USD, the reporting currency. 7 valid lines in EUR, GBP were converted with the fx_rates of their booking month. 5 lines could not be converted and are left out (see Data quality).',
    );
  });
});
