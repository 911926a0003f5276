import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer, type SchemaElement } from 'hyparquet-writer';
import { SnapshotError } from './snapshot-error.ts';
import type {
  SnapshotColumnSchema,
  SnapshotColumnType,
  SnapshotRow,
  SnapshotTable,
  SnapshotValue,
} from './tables.ts';

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

type ParquetCell = string | number | bigint | boolean | null;

const SCHEMA_ELEMENTS: Record<SnapshotColumnType, Omit<SchemaElement, 'name'>> = {
  STRING: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
  DOUBLE: { type: 'DOUBLE' },
  BIGINT: { type: 'INT64' },
  DATE: { type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } },
  BOOLEAN: { type: 'BOOLEAN' },
};

const EXPECTED: Record<SnapshotColumnType, string> = {
  STRING: 'text',
  DOUBLE: 'a finite number',
  BIGINT: 'a whole number',
  DATE: 'a date YYYY-MM-DD',
  BOOLEAN: 'true or false',
};

/** Days since 1970-01-01 of an ISO date, or undefined when it is not a real calendar date. */
function epochDays(iso: string): number | undefined {
  if (!ISO_DATE.test(iso)) return undefined;
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== iso) return undefined;
  return ms / DAY_MS;
}

/** {@link epochDays} remembered per distinct text: a date column repeats a few thousand values over many rows. */
function memoEpochDays(): (iso: string) => number | undefined {
  const known = new Map<string, number | undefined>();
  return (iso) => {
    if (known.has(iso)) return known.get(iso);
    const days = epochDays(iso);
    known.set(iso, days);
    return days;
  };
}

function toParquet(
  type: SnapshotColumnType,
  value: SnapshotValue,
  dateDays: (iso: string) => number | undefined,
): ParquetCell | undefined {
  if (value === null) return null;
  switch (type) {
    case 'STRING':
      return typeof value === 'string' ? value : undefined;
    case 'DOUBLE':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'BIGINT':
      return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : undefined;
    case 'DATE':
      return typeof value === 'string' ? dateDays(value) : undefined;
    case 'BOOLEAN':
      return typeof value === 'boolean' ? value : undefined;
  }
}

function describe(value: SnapshotValue | undefined): string {
  if (value === undefined) return 'no value';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** One column's values in row order: from the table's sources when it has them, else from its rows. */
function valuesOf(table: SnapshotTable, column: string): readonly (SnapshotValue | undefined)[] {
  return table.columnValues ? table.columnValues(column) : table.rows.map((row) => row[column]);
}

function columnData(table: SnapshotTable, column: SnapshotColumnSchema): ParquetCell[] {
  const dateDays = memoEpochDays();
  return valuesOf(table, column.name).map((value, index) => {
    const cell = value === undefined ? undefined : toParquet(column.type, value, dateDays);
    if (cell !== undefined) return cell;
    const first = table.columns[0];
    const where =
      first && first.name !== column.name
        ? ` (${first.name}=${describe(valuesOf(table, first.name)[index])})`
        : '';
    throw new SnapshotError(
      `snapshot table ${table.name}, row ${index + 1}${where}, column ${column.name}: expected ${EXPECTED[column.type]} ` +
        `or null, got ${describe(value)}; ` +
        'check that input value, or the code that computes this column',
    );
  });
}

/**
 * Encodes a table as one Parquet file (Snappy, nullable columns, pure JavaScript so it runs in Lambda).
 * Types read back in Athena and DuckDB as VARCHAR/STRING, DOUBLE, BIGINT, DATE and BOOLEAN; a table with
 * no rows still gets a valid file with its schema.
 * @throws SnapshotError naming the table, row and column of a value that does not fit its column's type.
 */
export function encodeParquet(table: SnapshotTable): Uint8Array {
  const names = new Set<string>();
  for (const { name } of table.columns) {
    if (names.has(name))
      throw new SnapshotError(`snapshot table ${table.name} declares column ${name} twice`);
    names.add(name);
  }
  const schema: SchemaElement[] = [
    { name: 'root', num_children: table.columns.length },
    ...table.columns.map((c) => ({
      name: c.name,
      repetition_type: 'OPTIONAL' as const,
      ...SCHEMA_ELEMENTS[c.type],
    })),
  ];
  const buffer = parquetWriteBuffer({
    columnData: table.columns.map((c) => ({ name: c.name, data: columnData(table, c) })),
    schema,
  });
  return new Uint8Array(buffer);
}

function plainValue(value: unknown, source: string, column: string): SnapshotValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) {
      throw new SnapshotError(`${source}, column ${column}: ${value} is too large for a JavaScript number`);
    }
    return n;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new SnapshotError(`${source}, column ${column}: unsupported Parquet value ${String(value)}`);
}

/**
 * Decodes a Parquet file into rows of plain values: DATE as ISO `YYYY-MM-DD`, BIGINT as number.
 * @param source names the file in error messages (a key or a path).
 * @param columns the only columns to decode. @default all
 */
export async function decodeParquet(
  bytes: Uint8Array,
  source: string,
  columns?: readonly string[],
): Promise<SnapshotRow[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let raw: Record<string, unknown>[];
  try {
    raw = await parquetReadObjects({
      file,
      rowFormat: 'object',
      // Only the column chunks asked for are decoded: a reader of 3 of account_segments' columns skips the rest.
      ...(columns ? { columns: [...columns] } : {}),
      parsers: { dateFromDays: (days: number) => new Date(days * DAY_MS).toISOString().slice(0, 10) },
    });
  } catch (error) {
    throw new SnapshotError(`${source} is not a readable Parquet file: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return raw.map((row) => {
    const out: Record<string, SnapshotValue> = {};
    for (const [column, value] of Object.entries(row)) out[column] = plainValue(value, source, column);
    return out;
  });
}
