/** Reading text values of optional inputs (every value comes as text, so a bad row can be named). */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Trimmed text, or null when empty. */
export function clean(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** An ISO date (a timestamp's date part is accepted), or null when the text is not a real calendar date. */
export function isoDate(value: string | null): string | null {
  const text = clean(value)?.slice(0, 10) ?? null;
  if (text === null || !ISO_DATE.test(text)) return null;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text) ? text : null;
}
