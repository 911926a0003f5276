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
