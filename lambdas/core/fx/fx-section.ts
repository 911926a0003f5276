import type { ReportBlock } from '../report/document.ts';
import type { ReportFormatter } from '../report/format.ts';
import type { ReportContext } from '../report/report-context.ts';
import { isCurrencyCode, isKnownCurrency } from './currency.ts';
import { type FxGroup, type FxSummary, unconvertedLines } from './fx-conversion.ts';

/** An amount in its own currency, e.g. `€75.50`; a code that is not one is shown beside the plain number. */
function originalMoney(amount: number, currency: string, locale: string): string {
  if (isCurrencyCode(currency)) {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code' }).format(
      amount,
    );
  }
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount)} '${currency}'`;
}

function currencyList(groups: readonly FxGroup[]): string {
  return [...new Set(groups.map((g) => g.currency))].join(', ');
}

/**
 * One line under the headline: the reporting currency of every amount, and which currencies were converted
 * into it (or that lines could not be, pointing at the data-quality section).
 */
export function currencyNoteBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const currency = ctx.config.currency;
  const fx = ctx.fx;
  const parts = [`All amounts are in ${currency}, the reporting currency.`];
  if (fx && fx.converted.length > 0) {
    const lines = fx.converted.reduce((n, g) => n + g.lines, 0);
    parts.push(
      `${fmt.number(lines)} valid lines in ${currencyList(fx.converted)} were converted with the fx_rates of their booking month.`,
    );
  }
  const unconverted = fx ? unconvertedLines(fx) : 0;
  if (unconverted > 0) {
    parts.push(
      `${fmt.number(unconverted)} lines could not be converted and are left out (see Data quality).`,
    );
  }
  return [{ kind: 'paragraph', text: parts.join(' ') }];
}

function missingRateBlocks(fx: FxSummary, locale: string, fmt: ReportFormatter): ReportBlock[] {
  const rates = fx.rates;
  if (fx.missingRates.length === 0) return [];
  const intro = rates
    ? `Revenue affected by missing FX rates: these lines are quarantined because ${rates.source} has no rate for their currency and month. Add the rows and rerun the period.`
    : `Revenue affected by missing FX rates: not available: needs fx_rates. These lines are in a currency other than ${fx.reportingCurrency} and no fx_rates input was given, so they are quarantined. Provide fx_rates (currency, month YYYY-MM, rate_to_reporting) and rerun the period.`;
  return [
    { kind: 'paragraph', text: intro },
    {
      kind: 'table',
      columns: [
        { header: 'Currency', align: 'left' },
        { header: 'Month', align: 'left' },
        { header: 'Lines', align: 'right' },
        { header: 'Amount (own currency)', align: 'right' },
        { header: 'What to do', align: 'left' },
      ],
      rows: fx.missingRates.map((g) => [
        g.currency,
        g.month ?? '',
        fmt.number(g.lines),
        originalMoney(g.originalAmount, g.currency, locale),
        isKnownCurrency(g.currency)
          ? `add ${g.currency},${g.month},<rate to ${fx.reportingCurrency}> to fx_rates`
          : `${g.currency} is not an ISO 4217 currency: correct the lines' currency`,
      ]),
    },
  ];
}

function invalidCurrencyBlocks(fx: FxSummary, fmt: ReportFormatter): ReportBlock[] {
  if (fx.invalidCurrencies.length === 0) return [];
  return [
    {
      kind: 'paragraph',
      text: 'Lines quarantined because their currency is not a 3-letter ISO 4217 code (correct the export):',
    },
    {
      kind: 'table',
      columns: [
        { header: 'Currency as written', align: 'left' },
        { header: 'Lines', align: 'right' },
        { header: 'Amount (as written)', align: 'right' },
      ],
      rows: fx.invalidCurrencies.map((g) => [
        `'${g.currency}'`,
        fmt.number(g.lines),
        fmt.number(g.originalAmount, 2),
      ]),
    },
  ];
}

/**
 * The currency part of the data-quality section: what was converted into the reporting currency (per
 * currency: valid lines, amount in its own currency and in the reporting currency, effective rate), the
 * revenue affected by missing rates (per currency and month, in its own currency, with what to do), and
 * lines with an invalid currency. Nothing for a book whose lines are all in the reporting currency.
 */
export function fxBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const fx = ctx.fx;
  if (!fx) return [];
  const { locale } = ctx.config;
  if (fx.converted.length === 0 && fx.missingRates.length === 0 && fx.invalidCurrencies.length === 0) {
    return [];
  }
  const rates = fx.rates;
  const ratesText = rates
    ? `Rates: ${rates.source}, ${fmt.number(rates.rows)} rows${rates.currencies.length > 0 ? ` for ${rates.currencies.join(', ')}` : ''}${rates.firstMonth ? `, ${rates.firstMonth} to ${rates.lastMonth}` : ''}. Each line converts at the rate of its booking month; the table covers every valid line up to the run date.`
    : 'No fx_rates input was given.';
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: `Currency conversion to ${fx.reportingCurrency}` },
    { kind: 'paragraph', text: ratesText },
  ];
  if (fx.converted.length > 0) {
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'Currency', align: 'left' },
        { header: 'Valid lines (all history)', align: 'right' },
        { header: 'Amount (own currency)', align: 'right' },
        { header: `Amount (${fx.reportingCurrency})`, align: 'right' },
        { header: 'Average rate', align: 'right' },
      ],
      rows: fx.converted.map((g) => [
        g.currency,
        fmt.number(g.lines),
        originalMoney(g.originalAmount, g.currency, locale),
        fmt.money(g.amount),
        g.amount === null || g.originalAmount === 0
          ? fmt.number(null)
          : fmt.number(g.amount / g.originalAmount, 4),
      ]),
    });
  }
  return [...blocks, ...missingRateBlocks(fx, locale, fmt), ...invalidCurrencyBlocks(fx, fmt)];
}
