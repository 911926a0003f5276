/**
 * The first `limit` of `items` by `weight` (largest first, ties by `key`), and what the rest add up to.
 * Owner mails list accounts one by one only up to a limit: an owner of thousands of accounts would otherwise
 * get a mail over SES's 10 MB message limit that no one reads; every account is in the attached CSV anyway.
 */
export function listedAndRest<T>(
  items: readonly T[],
  limit: number,
  weight: (item: T) => number,
  key: (item: T) => string,
): { readonly listed: T[]; readonly rest: number; readonly restWeight: number } {
  const ranked = [...items].sort((a, b) => weight(b) - weight(a) || key(a).localeCompare(key(b)));
  const listed = ranked.slice(0, limit);
  const rest = ranked.slice(limit);
  return { listed, rest: rest.length, restWeight: rest.reduce((sum, item) => sum + weight(item), 0) };
}

/** What a row or sentence that stands for the accounts not listed says about them. */
export const REST_IN_CSV = 'the biggest are listed by name; all are in the attached CSV';

/**
 * The table rows that stand for the accounts not listed: none when all are, else one row of `width` cells with
 * "and N more accounts" first, their total at `amountAt` and {@link REST_IN_CSV} at `noteAt`.
 */
export function restRows(
  rest: number,
  restAmount: string,
  fmt: { number(n: number): string },
  layout: { readonly width: number; readonly amountAt: number; readonly noteAt: number },
): string[][] {
  if (rest === 0) return [];
  const row = Array.from({ length: layout.width }, () => '');
  row[0] = `and ${fmt.number(rest)} more account${rest === 1 ? '' : 's'}`;
  row[layout.amountAt] = restAmount;
  row[layout.noteAt] = REST_IN_CSV;
  return [row];
}
