import { describe, expect, it } from 'vitest';
import { decodeParquet, encodeParquet } from '../../lambdas/core/snapshot/parquet.ts';
import { SnapshotError } from '../../lambdas/core/snapshot/snapshot-error.ts';
import type {
  SnapshotColumnType,
  SnapshotRow,
  SnapshotTable,
  SnapshotValue,
} from '../../lambdas/core/snapshot/tables.ts';
import { snapshotFor } from '../fixtures/snapshot-analysis.ts';

const mixed: SnapshotTable = {
  name: 'quarantine',
  columns: [
    { name: 'id', type: 'STRING' },
    { name: 'amount', type: 'DOUBLE' },
    { name: 'count', type: 'BIGINT' },
    { name: 'on', type: 'DATE' },
    { name: 'flag', type: 'BOOLEAN' },
  ],
  rows: [
    { id: 'x', amount: -12.25, count: 9_007_199_254_740_991, on: '1969-12-31', flag: true },
    { id: null, amount: null, count: null, on: null, flag: null },
    { id: 'Ünïcode 東京 😀', amount: 0, count: -3, on: '2024-02-29', flag: false },
  ],
};

function oneColumn(type: SnapshotColumnType, value: SnapshotValue | undefined): SnapshotTable {
  const row: SnapshotRow = value === undefined ? { key: 'K-7' } : { key: 'K-7', v: value };
  return {
    name: 'account_segments',
    columns: [
      { name: 'key', type: 'STRING' },
      { name: 'v', type },
    ],
    rows: [{ key: 'K-1', v: null }, row],
  };
}

describe('encodeParquet / decodeParquet', () => {
  it('round-trips every type, nulls, non-ASCII, negative and pre-1970 values', async () => {
    expect(await decodeParquet(encodeParquet(mixed), 'mixed')).toEqual(mixed.rows);
  });

  it('decodes only the columns asked for, in the rows it was given', async () => {
    expect(await decodeParquet(encodeParquet(mixed), 'mixed', ['id', 'flag'])).toEqual([
      { id: 'x', flag: true },
      { id: null, flag: null },
      { id: 'Ünïcode 東京 😀', flag: false },
    ]);
  });

  it('writes a file that starts and ends with the Parquet magic', () => {
    const bytes = encodeParquet(mixed);
    const magic = new TextDecoder().decode(bytes.subarray(0, 4));
    expect(magic).toBe('PAR1');
    expect(new TextDecoder().decode(bytes.subarray(bytes.length - 4))).toBe('PAR1');
  });

  it('round-trips a table with no rows', async () => {
    expect(await decodeParquet(encodeParquet({ ...mixed, rows: [] }), 'empty')).toEqual([]);
  });

  it.each(snapshotFor().tables.map((t) => [t.name, t] as const))('round-trips %s', async (_, table) => {
    expect(await decodeParquet(encodeParquet(table), table.name)).toEqual(table.rows);
  });

  it.each([
    ['BIGINT', 12.5, 'expected a whole number or null, got 12.5'],
    ['BIGINT', 2 ** 60, `expected a whole number or null, got ${2 ** 60}`],
    ['DATE', '2026-13-01', 'expected a date YYYY-MM-DD or null, got "2026-13-01"'],
    ['DATE', '2026-02-30', 'expected a date YYYY-MM-DD or null, got "2026-02-30"'],
    ['DATE', '2026-10-01T00:00:00Z', 'expected a date YYYY-MM-DD or null, got "2026-10-01T00:00:00Z"'],
    ['DOUBLE', Number.NaN, 'expected a finite number or null, got NaN'],
    ['DOUBLE', Number.POSITIVE_INFINITY, 'expected a finite number or null, got Infinity'],
    ['DOUBLE', '12', 'expected a finite number or null, got "12"'],
    ['STRING', 12, 'expected text or null, got 12'],
    ['BOOLEAN', 'true', 'expected true or false or null, got "true"'],
    ['STRING', undefined, 'expected text or null, got no value'],
  ] as const)('rejects a %s column holding %s, naming table, row and column', (type, value, reason) => {
    const encode = () => encodeParquet(oneColumn(type, value));
    expect(encode).toThrow(SnapshotError);
    expect(encode).toThrow(`snapshot table account_segments, row 2 (key="K-7"), column v: ${reason}`);
  });

  it('rejects a table that declares a column twice', () => {
    const table: SnapshotTable = { ...mixed, columns: [...mixed.columns, { name: 'id', type: 'STRING' }] };
    expect(() => encodeParquet(table)).toThrow('snapshot table quarantine declares column id twice');
  });

  it('names the source of bytes that are not Parquet', async () => {
    await expect(
      decodeParquet(new TextEncoder().encode('not parquet at all'), 'store/x.parquet'),
    ).rejects.toThrow(/^store\/x\.parquet is not a readable Parquet file/);
  });
});
