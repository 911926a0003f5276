/** Dates as whole UTC day numbers (days since 1970-01-01), which is cheap arithmetic on a hot path. */

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of an ISO date, or undefined when the text is not a real calendar date. */
export function parseIsoDay(iso: string): number | undefined {
  const m = ISO_DATE.exec(iso);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const time = Date.UTC(year, month - 1, day);
  const back = new Date(time);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return undefined;
  }
  return time / DAY_MS;
}

export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of the given calendar date; months and days past their end roll over as in Date.UTC. */
export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Calendar parts of a day number (month 1..12). */
export function partsOfDay(day: number): { year: number; month: number; day: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** One calendar month of the generated window. */
export interface CalendarMonth {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly firstDay: number;
  readonly lastDay: number;
}

/** Every calendar month that overlaps [firstDay, lastDay], oldest first. */
export function monthsBetween(firstDay: number, lastDay: number): CalendarMonth[] {
  const months: CalendarMonth[] = [];
  let { year, month } = partsOfDay(firstDay);
  for (;;) {
    const start = dayOf(year, month, 1);
    if (start > lastDay) break;
    months.push({ year, month, firstDay: start, lastDay: dayOf(year, month + 1, 0) });
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return months;
}

/** ISO strings for a contiguous range of day numbers, built once so the line loop never formats a date. */
export class IsoDayTable {
  private readonly texts: string[] = [];

  constructor(
    private readonly firstDay: number,
    lastDay: number,
  ) {
    for (let day = firstDay; day <= lastDay; day++) this.texts.push(isoOfDay(day));
  }

  iso(day: number): string {
    return this.texts[day - this.firstDay] ?? isoOfDay(day);
  }
}
