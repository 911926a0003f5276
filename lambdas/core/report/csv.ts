import { stringify } from 'csv-stringify/sync';

/** A CSV cell: numbers stay numeric, null/undefined become an empty cell. */
export type CsvCell = string | number | null | undefined;

/** Byte order mark: without it Excel reads a CSV as the system code page and garbles "Schäfer" or "Núñez". */
const UTF8_BOM = '\uFEFF';

/** Decimals a CSV number keeps: cents for money, basis points for ratios; enough for any reader. */
const CSV_DECIMALS = 4;

function csvNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  const rounded = Number(value.toFixed(CSV_DECIMALS));
  // -0 would print as "0" anyway; a tiny negative rounded to zero must not become "-0".
  return String(rounded === 0 ? 0 : rounded);
}

/**
 * Renders rows as RFC 4180 CSV (CRLF line ends, quotes where needed) with a header row.
 * Text cells starting with `= + - @`, tab or CR are prefixed with `'` so spreadsheets do not run
 * them as formulas; numeric cells are left alone, so `-12.5` stays a number, rounded to at most four decimals (a float such
 * as 0.4313604545884585 reads as 0.4314). Starts with a UTF-8 byte order mark for Excel.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const width = header.length;
  for (const [i, row] of rows.entries()) {
    if (row.length !== width) {
      throw new RangeError(`csv row ${i + 1} has ${row.length} cells but the header has ${width}`);
    }
  }
  return (
    UTF8_BOM +
    stringify([[...header], ...rows.map((row) => row.map((cell) => (cell === undefined ? null : cell)))], {
      record_delimiter: 'windows',
      // csv-stringify stops quoting cells with bare \n or \r once record_delimiter is set; RFC 4180 needs it.
      quote_record_delimiter: true,
      escape_formulas: true,
      cast: { number: csvNumber },
    })
  );
}
