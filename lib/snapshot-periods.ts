/**
 * Every period id from `firstYear` to `lastYear`, months then quarters (`2026-01`..., `2026-Q1`...): the
 * values of the `period` enum partition projection. An enum (unlike `injected`) lets people browse a table
 * without a WHERE on period, and (unlike `date`) covers both the month and the quarter formats.
 */
export function projectedPeriodIds(firstYear: number, lastYear: number): string[] {
  const months: string[] = [];
  const quarters: string[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    for (let month = 1; month <= 12; month++) months.push(`${year}-${String(month).padStart(2, '0')}`);
    for (let quarter = 1; quarter <= 4; quarter++) quarters.push(`${year}-Q${quarter}`);
  }
  return [...months, ...quarters];
}
