import type { ReportFormatter } from '../format.ts';

/**
 * A Vega expression that labels a money axis in the report currency with a short suffix: `$4.6M`, `$250K`,
 * `-$1.2M`. The symbol comes from the locale's own currency format.
 */
export function moneyAxisExpr(fmt: ReportFormatter): string {
  const sample = fmt.money(1);
  const symbol = sample.replace(/[\d\s.,\u00a0]/g, '') || '';
  const before = sample.indexOf(symbol) <= sample.search(/\d/);
  const quoted = JSON.stringify(symbol).replace(/"/g, "'");
  const short = "replace(format(abs(datum.value), '~s'), 'G', 'B')";
  const signed = before ? `${quoted} + ${short}` : `${short} + ' ' + ${quoted}`;
  return `(datum.value < 0 ? '-' : '') + ${signed}`;
}
