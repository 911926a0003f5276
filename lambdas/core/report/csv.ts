import { stringify } from 'csv-stringify/sync';

/** A CSV cell: numbers stay numeric, null/undefined become an empty cell. */
export type CsvCell = string | number | null | undefined;

/**
 * Renders rows as RFC 4180 CSV (CRLF line ends, quotes where needed) with a header row.
 * Text cells starting with `= + - @`, tab or CR are prefixed with `'` so spreadsheets do not run
 * them as formulas; numeric cells are left alone, so `-12.5` stays a number.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const width = header.length;
  for (const [i, row] of rows.entries()) {
    if (row.length !== width) {
      throw new RangeError(`csv row ${i + 1} has ${row.length} cells but the header has ${width}`);
    }
  }
  return stringify(
    [[...header], ...rows.map((row) => row.map((cell) => (cell === undefined ? null : cell)))],
    {
      record_delimiter: 'windows',
      // csv-stringify stops quoting cells with bare \n or \r once record_delimiter is set; RFC 4180 needs it.
      quote_record_delimiter: true,
      escape_formulas: true,
      cast: { number: (value) => (Number.isFinite(value) ? String(value) : '') },
    },
  );
}
