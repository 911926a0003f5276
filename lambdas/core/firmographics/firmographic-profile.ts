/**
 * How an account's firmographics are read, the one definition that the breakdowns (`firmographicKpis`) and the
 * growth-potential headroom (the wallet estimate from industry and employees) share, so an account counts in the
 * same industry and with the same size in both.
 */

/** Label of accounts whose size, country or industry is not known. */
export const UNKNOWN = 'Unknown';

/** The industry as written, trimmed with inner blanks collapsed; null when empty. */
export function industryOf(industry: string | null | undefined): string | null {
  const text = industry?.trim().replace(/\s+/g, ' ') ?? '';
  return text === '' ? null : text;
}

/** What industries are matched on, in groups and in config (spend per employee): `industryOf` lower-cased. */
export function industryKey(industry: string | null | undefined): string | null {
  return industryOf(industry)?.toLowerCase() ?? null;
}

/** An employee count that sizes a company (size band, wallet): a finite number above 0, else null. */
export function employeesOf(employeeCount: number | null | undefined): number | null {
  return employeeCount !== null &&
    employeeCount !== undefined &&
    Number.isFinite(employeeCount) &&
    employeeCount > 0
    ? employeeCount
    : null;
}
